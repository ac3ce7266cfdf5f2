import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import path from 'node:path';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../emulator/src/index';

const require = createRequire(import.meta.url);
export const projectRoot = path.resolve(import.meta.dirname, '../..');

export interface TestCloud {
  emulator: RunningEmulator;
  url: string;
  /** Invoke a deployed function as a persona (or as the console when `as` is omitted). */
  invoke<T = any>(
    name: string,
    event: Record<string, unknown>,
    as?: string | { openid: string; unionid?: string; appid?: string },
  ): Promise<T>;
  control<T = any>(method: string, pathname: string, body?: unknown): Promise<T>;
  /** The real wx-server-sdk in the test process, for reading what functions wrote. */
  db(): any;
  stop(): Promise<void>;
}

/** The built functions (build/cloudfunctions, made by the global setup) on an ephemeral local cloud. */
export async function startCloud(options: Partial<EmulatorOptions> = {}): Promise<TestCloud> {
  const emulator = await startEmulator({ port: 0, ephemeral: true, quiet: true, triggers: false, projectRoot, ...options });
  const url = emulator.url;

  async function control<T>(method: string, pathname: string, body?: unknown): Promise<T> {
    const response = await fetch(`${url}${pathname}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${pathname} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function user(as: string | { openid: string; unionid?: string; appid?: string } | undefined) {
    if (as === undefined) return undefined;
    if (typeof as !== 'string') return { appid: emulator.ctx.options.appid, ...as };
    // Read afresh: tests change personas (a unionid arrives, a follow happens).
    const persona = emulator.ctx.personas.get(as);
    if (!persona) throw new Error(`no persona ${as}`);
    return { openid: persona.openid, unionid: persona.unionid, appid: emulator.ctx.options.appid };
  }

  let sdk: any;
  return {
    emulator,
    url,
    async invoke(name, event, as) {
      const answer = await control<{ result?: unknown; error?: { errCode: number; errMsg: string } }>(
        'POST',
        `/_emu/functions/${name}/invoke`,
        {
          event,
          user: await user(as),
          source: as === undefined ? 'wx_cloudconsole' : 'wx_client',
        },
      );
      if (answer.error) throw new Error(`${name} failed on the platform: ${answer.error.errCode} ${answer.error.errMsg}`);
      return answer.result as any;
    },
    control,
    db() {
      if (!sdk) {
        process.env.TCB_CONTEXT_CNFG = JSON.stringify({ URL: `${url}/admin` });
        process.env.TENCENTCLOUD_SECRETID = 'dummy-id';
        process.env.TENCENTCLOUD_SECRETKEY = 'dummy-key';
        process.env.TENCENTCLOUD_RUNENV = 'SCF';
        process.env.TENCENTCLOUD_REGION = 'ap-shanghai';
        process.env.SCF_NAMESPACE = emulator.ctx.options.envId;
        process.env.TCB_ENV = emulator.ctx.options.envId;
        const cloud = require('wx-server-sdk');
        cloud.init({ env: emulator.ctx.options.envId });
        sdk = cloud.database();
      }
      return sdk;
    },
    stop: () => emulator.stop(),
  };
}

/**
 * One local cloud for the enclosing `describe`: started before its tests, stopped after, and
 * (unless `resetEach` is false) reset to a fresh state before each test. Hooks the test file
 * registers afterwards run after the reset, so they can seed data.
 */
export function useCloud(options: Partial<EmulatorOptions> = {}, { resetEach = true }: { resetEach?: boolean } = {}): TestCloud {
  let current: TestCloud | undefined;
  beforeAll(async () => {
    current = await startCloud(options);
  });
  afterAll(async () => {
    await current?.stop();
  });
  if (resetEach) {
    beforeEach(async () => {
      await live().control('POST', '/_emu/reset');
    });
  }
  function live(): TestCloud {
    if (!current) throw new Error('the test cloud starts in beforeAll: use it inside tests and hooks');
    return current;
  }
  return {
    get emulator() {
      return live().emulator;
    },
    get url() {
      return live().url;
    },
    invoke: (name, event, as) => live().invoke(name, event, as),
    control: (method, pathname, body) => live().control(method, pathname, body),
    db: () => live().db(),
    stop: () => live().stop(),
  };
}
