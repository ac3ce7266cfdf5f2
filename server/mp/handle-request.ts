import { randomBytes } from 'node:crypto';
import { dedupeKeyOf, MAX_PUSH_BYTES, type MpPush } from '../../core/mp/push';
import { MAX_PUSH_AGE_S, MAX_PUSH_SKEW_AHEAD_S } from '../../core/mp/signature';
import { NOTHING_TO_SAY } from '../../core/mp/reply';
import { elapsedMs } from '../clock';
import { log } from '../log';
import { claimPush } from './claim-push';
import { rememberNonce } from './nonce-repository';
import { type MpConfig, mpConfig } from './config';
import { decryptMessage, encryptedReply, msgSignature, msgSignatureMatches } from './message-crypto';
import { parsePushXml, parseXmlFields } from './parse-push';
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

/** The `mpGateway` function: WeChat's server check (GET) and message pushes (POST), plaintext or 安全模式 / 兼容模式. */
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
  const opened = openPush(config, query, body);
  if (!opened.ok) {
    log('warn', { event: 'mp.refused', requestId, reason: opened.reason });
    return text(opened.status, opened.status === 401 ? 'invalid signature' : 'bad request');
  }
  const reading = parsePushXml(opened.xml);
  if (!reading.ok) {
    log('warn', { event: 'mp.refused', requestId, reason: reading.reason });
    return text(400, 'bad request');
  }
  return answerPush(config, reading.push, requestId, now, opened.encrypted);
}

async function answerPush(config: MpConfig, push: MpPush, requestId: string, now: Date, encrypted: boolean): Promise<HttpAnswer> {
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
    if (!outcome.reply) return text(200, NOTHING_TO_SAY);
    return xml(encrypted && config.aesKey ? sealReply(config, config.aesKey, outcome.reply, now) : outcome.reply);
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

type OpenedPush = { ok: true; xml: string; encrypted: boolean } | { ok: false; status: 400 | 401; reason: string };

/**
 * The push's XML as WeChat meant it. With an AES key configured (安全模式 / 兼容模式) the push must be
 * encrypted, its msg_signature must cover the ciphertext and the ciphertext must name this
 * 公众号; the plaintext fields a 兼容模式 body also carries are ignored (nothing signs them).
 */
function openPush(config: MpConfig, query: Record<string, string | undefined>, body: string): OpenedPush {
  const encrypted = query.encrypt_type === 'aes';
  if (!config.aesKey) {
    if (encrypted) return { ok: false, status: 400, reason: 'encrypted push, but DUET_MP_AES_KEY is not set' };
    return { ok: true, xml: body, encrypted: false };
  }
  if (!encrypted) return { ok: false, status: 401, reason: 'plaintext push while 安全模式 is configured (DUET_MP_AES_KEY)' };
  const envelope = parseXmlFields(body);
  if (!envelope.ok) return { ok: false, status: 400, reason: envelope.reason };
  const encrypt = envelope.fields.Encrypt;
  if (typeof encrypt !== 'string' || encrypt === '') return { ok: false, status: 400, reason: 'encrypted push without <Encrypt>' };
  const expected = msgSignature(config.token, String(query.timestamp), String(query.nonce), encrypt);
  if (!msgSignatureMatches(query.msg_signature, expected)) return { ok: false, status: 401, reason: 'msg_signature does not match' };
  try {
    const message = decryptMessage(config.aesKey, encrypt);
    if (message.appid !== config.appid) return { ok: false, status: 401, reason: `encrypted for appid ${message.appid}` };
    return { ok: true, xml: message.xml, encrypted: true };
  } catch (error) {
    return { ok: false, status: 400, reason: error instanceof Error ? error.message : String(error) };
  }
}

function sealReply(config: MpConfig, key: Buffer, replyXml: string, now: Date): string {
  return encryptedReply(
    key,
    config.token,
    config.appid,
    replyXml,
    String(Math.floor(now.getTime() / 1000)),
    randomBytes(8).toString('hex'),
  );
}
