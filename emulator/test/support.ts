import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { type CloudClient, createCloudClient } from '../src/client';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/index';
import { usePerTestCloud } from './lifecycle';
import { beforeAll } from 'vitest';

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

export interface TestCloud {
  readonly emulator: RunningEmulator;
  /** The control-plane client of this local cloud. */
  readonly client: CloudClient;
}

/**
 * One local cloud for the enclosing `describe`: started before its tests, stopped after, and
 * reset before each test — data, clock, faults, outbox, grants, payments, personas, function
 * instances and logs (`POST /_emu/reset`) — so that no test depends on the one before. Hooks the
 * file registers afterwards run after the reset: they may seed what every test needs.
 */
export function useTestCloud(options: Partial<EmulatorOptions> = {}): TestCloud {
  const live = usePerTestCloud(
    async () => {
      const emulator = await startTestCloud(options);
      return { emulator, client: createCloudClient(emulator.url) };
    },
    (cloud) => cloud.emulator.stop(),
  );
  return {
    get emulator() {
      return live().emulator;
    },
    get client() {
      return live().client;
    },
  };
}

/** The client of a local cloud started by hand (restart tests). */
export function clientOf(emulator: RunningEmulator): CloudClient {
  return createCloudClient(emulator.url);
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

/**
 * The real SDK's database against a per-test local cloud (`useTestCloud`), for the database tests:
 * `db` and its command object `_` are ready inside tests and hooks.
 */
export function useTestDatabase(options: Partial<EmulatorOptions> = {}): { cloud: TestCloud; db: any; _: any } {
  const cloud = useTestCloud(options);
  let database: any;
  beforeAll(() => {
    database = sdkFor(cloud.emulator).database();
  });
  const live = () => {
    if (!database) throw new Error('the database is ready in beforeAll: use it inside tests and hooks');
    return database;
  };
  // Methods keep their own `this`: `db.collection(...)`, `_.gt(1)` work as on the SDK's objects.
  const forward = (target: () => any) =>
    new Proxy(
      {},
      {
        get: (_unused, key) => {
          const real = target();
          const value = real[key];
          return typeof value === 'function' ? value.bind(real) : value;
        },
      },
    );
  return { cloud, db: forward(live), _: forward(() => live().command) };
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with exactly these headers on 127.0.0.1:<port> (fetch would not let a test choose Host or Origin). */
export function rawRequest(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: target,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
