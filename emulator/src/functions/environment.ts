import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmulatorContext, Invocation } from '../context';
import { functionEnv } from '../context';

/**
 * What a function sees of the platform, as SCF sets it (and what wx-server-sdk 4.0.2 /
 * node-sdk 3.17.2 read): the instance's environment, the per-invocation variables, the
 * `context` argument and the event.
 */

const HERE = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));

/** node_modules of the installation the local cloud runs from. */
const EMULATOR_NODE_MODULES = path.resolve(HERE, '../../../node_modules');

/** Production's memory per instance. */
export const MEMORY_MB = 256;

/** Everything one invocation needs; `invoke()` and the trigger/HTTP paths build it. */
export interface InvokeSpec {
  name: string;
  event: unknown;
  source: string;
  user?: { openid?: string; appid?: string; unionid?: string };
  /** Cross-account caller identity (WX_FROM_*); same-environment callFunction does not set it. */
  from?: { openid?: string; appid?: string; unionid?: string };
  /** Fired by a timer trigger: TRIGGER_SRC=timer and the trigger token. */
  timer?: { triggerName: string };
  /** Add `event.userInfo` as production does for calls from the mini-program. */
  addUserInfo?: boolean;
}

/** The environment SCF gives every instance; per-invocation variables come with each invoke. */
export function baseEnv(ctx: EmulatorContext, name: string): Record<string, string> {
  // Not the emulator's own environment: a function sees what the platform gives it.
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT'];
  const env: Record<string, string> = {};
  for (const key of keep) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  const overrides = ctx.options.functionEnvOverrides?.[name] ?? {};
  const all: Record<string, string> = {
    ...env,
    // Functions resolve their own node_modules first, then the project's, then the local
    // cloud's own (which always has the pinned wx-server-sdk).
    NODE_PATH: [...new Set([path.join(ctx.options.projectRoot, 'node_modules'), EMULATOR_NODE_MODULES])].join(path.delimiter),
    // SCF instances run in UTC; timer cron is read in UTC+8 by the platform, not by the function.
    TZ: 'UTC',
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: 'ap-shanghai',
    TENCENTCLOUD_SECRETID: 'duet-local-secret-id',
    TENCENTCLOUD_SECRETKEY: 'duet-local-secret-key',
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${ctx.baseUrl}/admin` }),
    TCB_ENV: ctx.options.envId,
    SCF_NAMESPACE: ctx.options.envId,
    // node-sdk reads TCB_ENV / TCB_SOURCE / TCB_SEQID only through this list.
    TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SEQID,TCB_SOURCE',
    SCF_FUNCTIONNAME: name,
    SCF_FUNCTIONVERSION: '$LATEST',
    ...functionEnv(ctx),
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete all[key];
    else all[key] = value;
  }
  return all;
}

/** Per-invocation variables, as SCF sets them for one request (getWXContext reads these). */
export function invocationEnv(spec: InvokeSpec, invocation: Invocation): Record<string, string> {
  const env: Record<string, string> = {};
  const contextKeys: string[] = [];
  const put = (key: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    env[key] = value;
    contextKeys.push(key);
  };
  if (spec.source.startsWith('wx_client')) put('WX_CLIENTIP', '127.0.0.1');
  put('WX_OPENID', spec.user?.openid);
  put('WX_APPID', spec.user?.appid);
  put('WX_UNIONID', spec.user?.unionid);
  put('WX_FROM_OPENID', spec.from?.openid);
  put('WX_FROM_APPID', spec.from?.appid);
  put('WX_FROM_UNIONID', spec.from?.unionid);
  // node-sdk finds the token only through WX_CONTEXT_KEYS; getWXContext hides it.
  put('WX_API_TOKEN', invocation.token);
  env.WX_CONTEXT_KEYS = contextKeys.join(',');
  if (spec.timer) {
    env.TRIGGER_SRC = 'timer';
    env.WX_TRIGGER_API_TOKEN_V0 = invocation.token;
  }
  env.TCB_SOURCE = spec.source;
  env.TCB_SEQID = invocation.requestId;
  return env;
}

/** The `context` argument of `main` (the runner adds `getRemainingTimeInMillis` and the callback flag). */
export function invocationContext(
  ctx: EmulatorContext,
  spec: InvokeSpec,
  invocation: Invocation,
  env: Record<string, string>,
  timeoutS: number,
): Record<string, unknown> {
  return {
    memory_limit_in_mb: MEMORY_MB,
    time_limit_in_ms: timeoutS * 1000,
    request_id: invocation.requestId,
    function_name: spec.name,
    function_version: '$LATEST',
    namespace: ctx.options.envId,
    tencentcloud_region: 'ap-shanghai',
    tencentcloud_appid: '1300000000',
    tencentcloud_uin: '100000000001',
    environ: Object.entries(env)
      .map(([key, value]) => `${key}=${value}`)
      .join(';'),
    // What node-sdk's parseContext reads.
    environment: JSON.stringify(env),
  };
}

/** Calls from the mini-program carry `event.userInfo`; other events (arrays, primitives) are passed as they are. */
export function invocationEvent(spec: InvokeSpec, defaultAppid: string): unknown {
  const event = spec.event ?? {};
  if (!spec.addUserInfo || !spec.user?.openid || !event || typeof event !== 'object' || Array.isArray(event)) return event;
  const userInfo: Record<string, string> = { appId: spec.user.appid ?? defaultAppid, openId: spec.user.openid };
  if (spec.user.unionid) userInfo.unionId = spec.user.unionid;
  return { ...(event as Record<string, unknown>), userInfo };
}
