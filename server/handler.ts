import type { ActionName, FunctionContract, OutputOf, ParsedInputOf } from '../core/contract';
import { type Envelope, failure, ok } from '../core/envelope';
import { platformCallerKind } from '../core/admin/caller';
import { DuetError } from '../core/errors';
import { cloud } from './cloud';
import { envProbe } from './env-probe';
import { log } from './log';

/** Who is calling, taken only from `cloud.getWXContext()`: never from the event. */
export interface Caller {
  openid: string | null;
  appid: string | null;
  unionid: string | null;
  /** `wx_client`, `wx_devtools`, `wx_trigger`, `wx_http`, `wx_cloudconsole`, ... as the platform sets it. */
  source: string;
  env: string | null;
}

export interface CallContext {
  caller: Caller;
  requestId: string;
  functionName: string;
  action: string;
  /**
   * Whether a refusal may carry its English `detail` (ids, paths, reasons) back to the caller: true
   * for the console and timers, set by `authorized` for admin members, false for app users — a
   * member never sees member ids, openids or internals, only the code and its Chinese message.
   */
  revealDetail: boolean;
  /** Set by `authorized` for console jobs: who runs the job (the operator an audited change records). */
  operator?: string;
}

/** Who may call an action: a WeChat user (OPENID present) or anyone (the action decides). */
export type Audience = 'user' | 'any';

export type ActionImpl<C extends FunctionContract, A extends ActionName<C>> = (
  input: ParsedInputOf<C, A>,
  ctx: CallContext,
) => Promise<OutputOf<C, A>>;

export type Implementation<C extends FunctionContract> = { [A in ActionName<C>]: ActionImpl<C, A> };

export interface HandlerOptions<C extends FunctionContract> {
  /** Default `user`: the action refuses callers without an OPENID. */
  audience?: Partial<Record<ActionName<C>, Audience>>;
}

export function readCaller(): Caller {
  const wx = cloud.getWXContext() as Record<string, string | undefined>;
  return {
    openid: wx.OPENID || null,
    appid: wx.APPID || null,
    unionid: wx.UNIONID || null,
    source: wx.SOURCE || '',
    env: wx.ENV || null,
  };
}

/**
 * Wraps a contract's implementation into a cloud function `main`: validates the event,
 * reads the caller, runs the action and always answers with the envelope. Unknown errors
 * become INTERNAL and are logged with the request id; nothing is swallowed silently.
 */
export function createHandler<C extends FunctionContract>(contract: C, impl: Implementation<C>, options: HandlerOptions<C> = {}) {
  return async function main(event: unknown, context?: { request_id?: string }): Promise<Envelope<unknown>> {
    const probed = envProbe(event);
    if (probed) return probed;
    const requestId = context?.request_id ?? 'local';
    const raw = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
    const { action, userInfo: _platformUserInfo, ...params } = raw;
    const ctxBase = { requestId, functionName: contract.name, action: String(action) };
    const caller = readCaller();
    const ctx: CallContext = { ...ctxBase, caller, revealDetail: !caller.openid && platformCallerKind(caller.source) !== null };
    try {
      if (typeof action !== 'string' || !Object.hasOwn(contract.actions, action)) {
        throw new DuetError('INVALID_ARGUMENT', `unknown action ${JSON.stringify(action)} for ${contract.name}`);
      }
      const name = action as ActionName<C>;
      const spec = contract.actions[name];
      const parsed = spec.input.safeParse(params);
      if (!parsed.success) {
        throw new DuetError('INVALID_ARGUMENT', describeIssues(parsed.error));
      }
      const audience = options.audience?.[name] ?? 'user';
      if (audience === 'user' && !caller.openid) {
        throw new DuetError('UNAUTHENTICATED', `${contract.name}.${name} needs a WeChat user (no OPENID)`);
      }
      const data = await impl[name](parsed.data as ParsedInputOf<C, typeof name>, ctx);
      const checked = spec.output.safeParse(data);
      if (!checked.success) {
        throw new Error(`result of ${contract.name}.${name} breaks its contract: ${describeIssues(checked.error)}`);
      }
      return ok(checked.data);
    } catch (error) {
      if (error instanceof DuetError) {
        log('warn', { ...ctxBase, code: error.code, reason: error.refusal?.reason, detail: error.detail });
        return failure(error.code, ctx.revealDetail ? error.detail : undefined, requestId, error.refusal);
      }
      log('error', { ...ctxBase, code: 'INTERNAL', error: error instanceof Error ? error.stack : String(error) });
      return failure('INTERNAL', ctx.revealDetail ? 'unexpected error; see the function log for this request id' : undefined, requestId);
    }
  };
}

function describeIssues(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(event)'}: ${issue.message}`).join('; ');
}
