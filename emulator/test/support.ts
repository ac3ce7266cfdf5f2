import path from 'node:path';
import { createRequire } from 'node:module';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/index';

const require = createRequire(import.meta.url);
/** The repository (the CLI lives here). */
export const repoRoot = path.resolve(import.meta.dirname, '../..');
/** A small project of the local cloud's own tests: its schema, templates and app pages. */
export const projectRoot = path.join(import.meta.dirname, 'fixtures/project');

/** An ephemeral local cloud on a free port, quiet, timers off unless asked. */
export async function startTestCloud(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  return startEmulator({
    port: 0,
    ephemeral: true,
    quiet: true,
    triggers: false,
    projectRoot,
    functionsDir: path.join(import.meta.dirname, 'fixtures/functions'),
    ...options,
  });
}

/**
 * The real wx-server-sdk in this test process, pointed at the local cloud exactly as a function
 * inside the emulator is: TCB_CONTEXT_CNFG, dummy credentials, TENCENTCLOUD_RUNENV=SCF.
 * One local cloud per test file (the SDK is a process-wide singleton).
 */
export function sdkFor(emulator: RunningEmulator, identity: { openid?: string; appid?: string; unionid?: string } = {}) {
  process.env.TCB_CONTEXT_CNFG = JSON.stringify({ URL: `${emulator.url}/admin` });
  process.env.TENCENTCLOUD_SECRETID = 'dummy-id';
  process.env.TENCENTCLOUD_SECRETKEY = 'dummy-key';
  process.env.TENCENTCLOUD_RUNENV = 'SCF';
  // Production functions always have a region; without it the SDK logs `missing TENCENTCLOUD_REGION`.
  process.env.TENCENTCLOUD_REGION ??= 'ap-shanghai';
  process.env.TCB_ENV = emulator.ctx.options.envId;
  process.env.SCF_NAMESPACE = emulator.ctx.options.envId;
  process.env.WX_CONTEXT_KEYS = 'WX_OPENID,WX_APPID,WX_UNIONID';
  process.env.WX_OPENID = identity.openid ?? '';
  process.env.WX_APPID = identity.appid ?? '';
  process.env.WX_UNIONID = identity.unionid ?? '';
  const cloud = require('wx-server-sdk');
  cloud.init({ env: emulator.ctx.options.envId });
  return cloud as typeof import('wx-server-sdk');
}

export async function control<T = any>(
  emulator: RunningEmulator,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${emulator.url}${pathname}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}
