import { dedupeKeyOf, MAX_PUSH_BYTES, type MpPush } from '../../core/mp/push';
import { MAX_PUSH_AGE_S, MAX_PUSH_SKEW_AHEAD_S } from '../../core/mp/signature';
import { NOTHING_TO_SAY } from '../../core/mp/reply';
import { elapsedMs } from '../clock';
import { log } from '../log';
import { claimPush } from './claim-push';
import { rememberNonce } from './nonce-repository';
import { type MpConfig, mpConfig } from './config';
import { parsePushXml } from './parse-push';
import type { PushContext, PushOutcome } from './push-context';
import { describeError, runClaimedPush } from './run-push';
import { verifySignature } from './verify-signature';

/**
 * WeChat gives up on a push after 5 s (and retries). Past this budget the gateway answers
 * `success` and lets the work finish on its own; everything it does is claimed and idempotent.
 */
export const ANSWER_BUDGET_MS = 4000;

/** The HTTP access service's integration request, as far as the gateway reads it. */
export interface HttpEvent {
  httpMethod?: string;
  queryStringParameters?: Record<string, string> | null;
  headers?: Record<string, string> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const text = (statusCode: number, body: string): HttpAnswer => ({
  statusCode,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body,
});
const xml = (body: string): HttpAnswer => ({ statusCode: 200, headers: { 'content-type': 'application/xml; charset=utf-8' }, body });

/** The `mpGateway` function: WeChat's server check (GET) and message pushes (POST), plaintext mode. */
export async function handleMpRequest(event: HttpEvent, context: { request_id?: string } | undefined, now: Date): Promise<HttpAnswer> {
  const requestId = context?.request_id ?? 'local';
  let config: MpConfig;
  try {
    config = mpConfig();
  } catch (error) {
    log('error', { event: 'mp.config', requestId, error: (error as Error).message });
    return text(500, 'gateway not configured');
  }
  const method = String(event?.httpMethod ?? 'GET').toUpperCase();
  const query = event?.queryStringParameters ?? {};
  const signature = verifySignature(query, config.token, now.getTime());
  if (!signature.ok) {
    log('warn', { event: 'mp.refused', requestId, method, reason: signature.reason });
    return text(401, 'invalid signature');
  }
  if (method === 'GET') {
    // WeChat's server check: echo `echostr` to prove we hold the token.
    return typeof query.echostr === 'string' ? text(200, query.echostr) : text(400, 'missing echostr');
  }
  if (method !== 'POST') return text(405, 'method not allowed');

  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_PUSH_BYTES) {
    log('warn', { event: 'mp.refused', requestId, reason: `body of ${bytes.length} bytes` });
    return text(413, 'body too large');
  }
  const body = bytes.toString('utf8');
  // The signature covers the query only: a (timestamp, nonce) pair carries one body, ever.
  const { timestamp, nonce } = query as Record<'timestamp' | 'nonce', string>;
  const seen = await rememberNonce(timestamp, nonce, body, new Date((Number(timestamp) + MAX_PUSH_AGE_S + MAX_PUSH_SKEW_AHEAD_S) * 1000));
  if (seen === 'forged') {
    log('warn', { event: 'mp.refused', requestId, reason: 'a used timestamp and nonce with another body' });
    return text(401, 'invalid signature');
  }
  const reading = parsePushXml(body);
  if (!reading.ok) {
    log('warn', { event: 'mp.refused', requestId, reason: reading.reason });
    return text(400, 'bad request');
  }
  return answerPush(config, reading.push, requestId, now);
}

async function answerPush(config: MpConfig, push: MpPush, requestId: string, now: Date): Promise<HttpAnswer> {
  if (push.kind === 'other') return text(200, NOTHING_TO_SAY);
  const started = performance.now();
  const key = dedupeKeyOf(push);
  const work = processPush({ config, key, now, requestId }, push);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ANSWER_BUDGET_MS);
  });
  try {
    const outcome = await Promise.race([work, late]);
    if (outcome === 'late') {
      log('warn', { event: 'mp.push.slow', requestId, key, budgetMs: ANSWER_BUDGET_MS });
      // WeChat has its `success` and will not retry: a failure from here on must at least be seen.
      work.catch((error: unknown) =>
        log('error', { event: 'mp.push.failed_after_answer', requestId, key, kind: push.kind, error: describeError(error) }),
      );
      return text(200, NOTHING_TO_SAY);
    }
    log('info', { event: 'mp.push', requestId, key, kind: push.kind, ms: Math.round(elapsedMs(started)), replied: Boolean(outcome.reply) });
    return outcome.reply ? xml(outcome.reply) : text(200, NOTHING_TO_SAY);
  } catch (error) {
    log('error', { event: 'mp.push.failed', requestId, key, kind: push.kind, error: describeError(error) });
    // No `success`: WeChat retries, and the retry takes the failed claim over.
    return text(500, 'push failed');
  } finally {
    clearTimeout(timer);
  }
}

/** Claims the push (once across retries and instances), runs its handler, records the outcome. */
async function processPush(ctx: PushContext, push: Exclude<MpPush, { kind: 'other' }>): Promise<PushOutcome> {
  const claim = await claimPush(ctx.key, push, ctx.now, ctx.requestId);
  if (claim.state !== 'claimed') {
    log('info', { event: 'mp.push.repeat', requestId: ctx.requestId, key: ctx.key, claim: claim.state });
    return {};
  }
  return runClaimedPush(ctx, push, claim);
}
