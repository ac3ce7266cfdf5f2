import { createRequire } from 'node:module';
import { usePerTestCloud } from '../../emulator/test/lifecycle';
import path from 'node:path';
import { type CloudClient, createCloudClient, type EmulatorOptions, type RunningEmulator, startEmulator } from '../../emulator/src/index';

const require = createRequire(import.meta.url);
export const projectRoot = path.resolve(import.meta.dirname, '../..');

export interface TestCloud {
  emulator: RunningEmulator;
  url: string;
  /** The control-plane client of this local cloud (typed routes, raw `control()` for refusals). */
  client: CloudClient;
  /**
   * Invoke a deployed function as a persona, a user, or the console when `as` is omitted. Returns
   * what `main` returned; a platform failure (crash, timeout) throws.
   */
  invoke<T = any>(
    name: string,
    event: Record<string, unknown>,
    as?: string | { openid: string; unionid?: string; appid?: string },
  ): Promise<T>;
  /** Any control-plane route: the body of a 2xx answer, throws otherwise (`client.request`). */
  control<T = any>(method: string, pathname: string, body?: unknown): Promise<T>;
  /** The real wx-server-sdk in the test process, for reading what functions wrote. */
  db(): any;
  stop(): Promise<void>;
}

/** The built functions (build/cloudfunctions, made by the global setup) on an ephemeral local cloud. */
export async function startCloud(options: Partial<EmulatorOptions> = {}): Promise<TestCloud> {
  const emulator = await startEmulator({ port: 0, ephemeral: true, quiet: true, triggers: false, projectRoot, ...options });
  const url = emulator.url;
  const client = createCloudClient(url);

  let sdk: any;
  return {
    emulator,
    url,
    client,
    async invoke(name, event, as) {
      // Personas are resolved by the local cloud at call time: tests change them (a unionid arrives, a follow happens).
      const caller = as === undefined ? { source: 'wx_cloudconsole' } : typeof as === 'string' ? { persona: as } : { user: as };
      const answer = await client.invoke(name, { event, source: 'wx_client', ...caller });
      if ('error' in answer) throw new Error(`${name} failed on the platform: ${answer.error.errCode} ${answer.error.errMsg}`);
      return answer.result as any;
    },
    control: (method, pathname, body) => client.request(method, pathname, body),
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
 * reset before each test — documents, files, clock, faults, outbox, grants, payments, personas,
 * function instances and logs (`POST /_emu/reset`) — so that no test depends on the one before.
 * Hooks the test file registers afterwards run after the reset, so they can seed data.
 */
export function useCloud(options: Partial<EmulatorOptions> = {}): TestCloud {
  const live = usePerTestCloud(
    () => startCloud(options),
    (cloud) => cloud.stop(),
  );
  return {
    get emulator() {
      return live().emulator;
    },
    get url() {
      return live().url;
    },
    get client() {
      return live().client;
    },
    invoke: (name, event, as) => live().invoke(name, event, as),
    control: (method, pathname, body) => live().control(method, pathname, body),
    db: () => live().db(),
    stop: () => live().stop(),
  };
}
