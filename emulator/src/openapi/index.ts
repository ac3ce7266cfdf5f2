import { randomBytes } from 'node:crypto';
import type { AllGrantsAnswer, GrantAnswer, UserGrantsAnswer } from '../client';
import { type AdminRequest, type EmulatorContext, type EmulatorModule, isPayFailFault, type OutboxKind } from '../context';
import { AdminError } from '../errors';
import { HttpError, readJson, route } from '../http';
import { createMediaStore, genericHandler, HANDLERS, OpenApiError, type OpenApiDeps, type OpenApiOutcome } from './apis';
import { createGrantLedger } from './grants';
import { createSecurityRules, parseSecurityRules, type SecurityRulesAnswer } from './security';
import { decodeOpenApiRequest, encodeBinaryResponse, encodeGatewayError, encodeJsonResponse } from './wire';

/** Codes of the cloud-call gateway (wx-server-sdk's ERR_CODE table). */
const NO_PERMISSION = -604101;
const API_NOT_FOUND = -604100;

/** WeChat appends a request id to every error message: `... rid: 6630d1a2-1b2c3d4e-5f60718a`. */
function rid(): string {
  const hex = randomBytes(12).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 24)}`;
}

function outboxKind(apiName: string): OutboxKind {
  const namespace = apiName.split('.')[0];
  if (namespace === 'subscribeMessage') return 'subscribeMessage';
  if (namespace === 'customerServiceMessage') return 'customerServiceMessage';
  if (namespace === 'wxacode') return 'wxacode';
  return 'openapi';
}

type GrantResult = 'accept' | 'reject';

/**
 * The open APIs functions reach through `cloud.openapi.*` (the `wx.openApi` action): permission
 * check against the calling function's config.json, injected faults, and fakes of
 * subscribeMessage.send (with a one-time grant ledger), wxacode.* (real QR codes of the H5 app),
 * customerServiceMessage.*; anything else is recorded and answered ok.
 */
export const openapiModule: EmulatorModule = {
  name: 'openapi',
  setup(ctx) {
    const grants = createGrantLedger(ctx.state);
    const media = createMediaStore(ctx.state, ctx);
    const templates = ctx.project.templates;
    const security = createSecurityRules(ctx.state);
    const deps: OpenApiDeps = { ctx, grants, media, templates, pages: () => ctx.project.pages(), security };

    ctx.action('wx.openApi', (params, request) => callOpenApi(ctx, deps, params, request));

    ctx.route(
      route('POST', '/_emu/grants', async ({ req }): Promise<GrantAnswer> => {
        const body = await readJson<{ openid?: unknown; templateIds?: unknown; result?: unknown }>(req);
        const openid = typeof body.openid === 'string' ? body.openid.trim() : '';
        if (!openid) throw new HttpError(400, '"openid" (the mini-program openid of the user) is required');
        const ids = body.templateIds;
        if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id)) {
          throw new HttpError(400, '"templateIds" must be a non-empty array of template ids');
        }
        // requestSubscribeMessage takes at most 3 one-time templates per call.
        if (ids.length > 3) throw new HttpError(400, `requestSubscribeMessage accepts at most 3 template ids per call (got ${ids.length})`);
        const unknown = ids.filter((id) => !templates.get(id));
        if (unknown.length > 0) {
          throw new HttpError(400, `unknown template ids ${unknown.join(', ')}: not in ${templates.file}`, {
            error: { message: `unknown template ids: ${unknown.join(', ')}`, unknown },
          });
        }
        const result = resultsFor(ids as string[], body.result);
        grants.add(
          openid,
          (ids as string[]).filter((id) => result[id] === 'accept'),
        );
        return { ...result, errMsg: 'requestSubscribeMessage:ok' };
      }),
    );
    ctx.route(
      route('GET', '/_emu/grants', ({ url }): UserGrantsAnswer | AllGrantsAnswer => {
        const openid = url.searchParams.get('openid');
        if (openid) return { openid, grants: grants.remaining(openid) };
        return { grants: grants.all() };
      }),
    );

    // Content-check verdicts (security.msgSecCheck / imgSecCheck): the rules replace the previous ones.
    ctx.route(route('GET', '/_emu/security', (): SecurityRulesAnswer => ({ rules: security.list() })));
    ctx.route(
      route('POST', '/_emu/security', async ({ req }): Promise<SecurityRulesAnswer> => {
        security.set(parseSecurityRules(await readJson<unknown>(req)));
        return { rules: security.list() };
      }),
    );

    ctx.onReset(() => {
      grants.reset();
      media.reset();
      security.reset();
    });
  },
};

function resultsFor(ids: string[], result: unknown): Record<string, GrantResult> {
  const valid = (value: unknown): value is GrantResult => value === 'accept' || value === 'reject';
  if (valid(result)) return Object.fromEntries(ids.map((id) => [id, result]));
  if (result && typeof result === 'object') {
    const perTemplate = result as Record<string, unknown>;
    const entries = ids.map((id) => [id, perTemplate[id]] as const);
    if (entries.every(([, value]) => valid(value))) return Object.fromEntries(entries) as Record<string, GrantResult>;
  }
  throw new HttpError(400, '"result" must be "accept" or "reject" (or a map from each template id to one of them)');
}

async function callOpenApi(ctx: EmulatorContext, deps: OpenApiDeps, params: Record<string, any>, request: AdminRequest): Promise<Buffer> {
  const apiName = String(params.apiName ?? '');
  const requestData = request.files?.requestData;
  if (!apiName) throw new AdminError('INVALID_PARAM', 'apiName is required');
  if (!requestData) throw new AdminError('INVALID_PARAM', 'requestData is required (multipart part)');
  const decoded = decodeOpenApiRequest(requestData);
  ctx.stats.count(`openapi.${apiName}`);
  const functionName = request.invocation?.functionName;
  const kind = outboxKind(apiName);
  const requestRecord = decoded.appid ? { ...decoded.params, appid: decoded.appid } : decoded.params;
  const record = (response: unknown) => ctx.outbox.record({ kind, api: apiName, functionName, request: requestRecord, response });

  if (decoded.apiType !== 'OPEN_API') {
    // cloud.getOpenData / getVoIPSign / ... travel as SVRKIT calls with protobuf payloads.
    ctx.log('warn', `the local cloud does not serve ${decoded.apiType} call ${decoded.svrkitApi ?? apiName}`);
    return encodeGatewayError(API_NOT_FOUND);
  }

  // A caller with no invocation (a script or test outside any function) is let through for every
  // API: production has no such caller.
  if (request.invocation) {
    const allowed = ctx.functions.config(request.invocation.functionName)?.permissions?.openapi ?? [];
    if (!allowed.includes(apiName)) {
      record({ errCode: NO_PERMISSION, errMsg: 'function has no permission to call this API' });
      return encodeGatewayError(NO_PERMISSION);
    }
  }

  // Both taken on arrival, so that concurrent calls meet the faults in the order they came.
  const delayMs = ctx.faults.takeDelay(apiName);
  const fault = ctx.faults.take(apiName);
  // WeChat being slow: the call waits, then goes on (into an error fault too, when one is pending).
  if (delayMs !== undefined && !(await request.delay(delayMs))) return Buffer.alloc(0);
  if (fault === 'timeout') {
    // Like production when WeChat does not answer: nothing comes back until the caller gives up.
    await request.hold();
    return Buffer.alloc(0);
  }
  // A cloudPay business failure is only accepted for cloudPay.<api> targets, never an open API.
  if (fault && !isPayFailFault(fault)) {
    record({ errcode: fault.errCode, errmsg: fault.errMsg, fault: true });
    // Negative codes are the gateway's own (-604101, -601001, ...); positive ones are WeChat's.
    if (fault.errCode < 0) return encodeGatewayError(fault.errCode);
    return encodeJsonResponse({ errcode: fault.errCode, errmsg: fault.errMsg });
  }

  let outcome: OpenApiOutcome;
  try {
    outcome = await (HANDLERS[apiName] ?? genericHandler)(decoded, deps);
  } catch (error) {
    if (!(error instanceof OpenApiError)) throw error;
    const body = { errcode: error.errcode, errmsg: `${error.errmsg} rid: ${rid()}` };
    record(body);
    return encodeJsonResponse(body);
  }
  if (outcome.kind === 'binary') {
    record({ contentType: outcome.contentType, bytes: outcome.bytes.length, ...outcome.note });
    return encodeBinaryResponse(outcome.bytes, outcome.contentType);
  }
  record({ ...outcome.body, ...outcome.note });
  return encodeJsonResponse(outcome.body);
}
