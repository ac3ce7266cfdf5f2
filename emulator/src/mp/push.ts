import { createHash, randomInt } from 'node:crypto';
import type { IntegrationRequest } from '../context';

/**
 * What WeChat sends to a 公众号 server, as pure functions (the encryption itself is crypto.ts): the XML, the
 * signature of the query string, the HTTP access service event a cloud function receives, and
 * the reading of the function's HTTP answer.
 */

export type PushType = 'subscribe' | 'unsubscribe' | 'SCAN' | 'CLICK' | 'text';
export const PUSH_TYPES: readonly PushType[] = ['subscribe', 'unsubscribe', 'SCAN', 'CLICK', 'text'];

export interface PushMessage {
  /** The 公众号's original id (gh_...). */
  toUserName: string;
  /** The user's 公众号 openid. */
  fromUserName: string;
  /** Seconds. */
  createTime: number;
  type: PushType;
  /** Raw scene/menu key; `subscribe` gets the `qrscene_` prefix here, as WeChat adds it. */
  eventKey?: string;
  ticket?: string;
  content?: string;
  msgId?: string;
}

/** Text inside CDATA; a literal `]]>` is split across two sections. */
function cdata(value: string): string {
  return `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

export function buildPushXml(message: PushMessage): string {
  const parts = [
    `<ToUserName>${cdata(message.toUserName)}</ToUserName>`,
    `<FromUserName>${cdata(message.fromUserName)}</FromUserName>`,
    `<CreateTime>${message.createTime}</CreateTime>`,
  ];
  if (message.type === 'text') {
    parts.push(
      `<MsgType>${cdata('text')}</MsgType>`,
      `<Content>${cdata(message.content ?? '')}</Content>`,
      `<MsgId>${message.msgId ?? ''}</MsgId>`,
    );
  } else {
    parts.push(`<MsgType>${cdata('event')}</MsgType>`, `<Event>${cdata(message.type)}</Event>`);
    const key = message.eventKey;
    if (message.type === 'subscribe') {
      // A follow through a parametric QR code carries `qrscene_<value>` and the code's ticket;
      // a plain follow still carries an empty EventKey.
      parts.push(`<EventKey>${cdata(key ? `qrscene_${key}` : '')}</EventKey>`);
      if (key && message.ticket) parts.push(`<Ticket>${cdata(message.ticket)}</Ticket>`);
    } else if (message.type === 'SCAN') {
      parts.push(`<EventKey>${cdata(key ?? '')}</EventKey>`);
      if (message.ticket) parts.push(`<Ticket>${cdata(message.ticket)}</Ticket>`);
    } else if (message.type === 'CLICK') {
      parts.push(`<EventKey>${cdata(key ?? '')}</EventKey>`);
    } else {
      parts.push(`<EventKey>${cdata('')}</EventKey>`);
    }
  }
  return `<xml>${parts.join('')}</xml>`;
}

/**
 * The body of an encrypted push: in safe mode only the 公众号 id and the ciphertext; in compat
 * mode the plaintext fields as well, with `Encrypt` last, as WeChat's samples show it.
 */
export function buildEncryptedPushXml(mode: 'compat' | 'safe', plainXml: string, toUserName: string, encrypt: string): string {
  const envelope = `<Encrypt>${cdata(encrypt)}</Encrypt>`;
  if (mode === 'safe') return `<xml><ToUserName>${cdata(toUserName)}</ToUserName>${envelope}</xml>`;
  if (!plainXml.endsWith('</xml>')) throw new Error('a push XML ends with </xml>');
  return `${plainXml.slice(0, -'</xml>'.length)}${envelope}</xml>`;
}

/** WeChat's check: sha1 of the lexicographically sorted token, timestamp and nonce, concatenated. */
export function signatureOf(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join(''), 'utf8').digest('hex');
}

export function randomNonce(): string {
  return String(randomInt(100_000_000, 2_147_483_647));
}

/** A 64-bit-looking message id, as a decimal string (it does not fit a JS number). */
export function randomMsgId(): string {
  return `${randomInt(22_000_000, 24_999_999)}${String(randomInt(0, 99_999_999_999)).padStart(11, '0')}`;
}

/** The 公众号 original id for an appid: stable, shaped like production's `gh_` + 12 hex. */
export function ghIdFor(appid: string): string {
  return `gh_${createHash('sha1').update(appid).digest('hex').slice(0, 12)}`;
}

/** Breaks a signature on purpose (for tests of refusal), keeping its shape. */
export function tamperSignature(signature: string): string {
  const last = signature.at(-1) ?? '0';
  return `${signature.slice(0, -1)}${last === '0' ? '1' : '0'}`;
}

/**
 * The HTTP access service event for a request WeChat makes to the gateway function. The path
 * follows the runner's `/_emu/http/<name>` mapping (`/<function name>`), so the gateway sees
 * the same shape whichever way it is reached.
 */
export function integrationEvent(input: {
  functionName: string;
  method: 'GET' | 'POST';
  query: Record<string, string>;
  body?: string;
  envId: string;
  requestId: string;
}): IntegrationRequest {
  const headers: Record<string, string> = { accept: '*/*', 'user-agent': 'Mozilla/4.0', pragma: 'no-cache', connection: 'Keep-Alive' };
  if (input.method === 'POST') {
    headers['content-type'] = 'text/xml';
    headers['content-length'] = String(Buffer.byteLength(input.body ?? ''));
  }
  return {
    path: `/${input.functionName}`,
    httpMethod: input.method,
    headers,
    queryStringParameters: input.query,
    requestContext: { appId: '1300000000', envId: input.envId, requestId: input.requestId, uin: '100000000001' },
    body: input.body ?? '',
    isBase64Encoded: false,
  };
}

export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * How the HTTP access service turns a function's return value into the answer WeChat reads:
 * `{ statusCode, headers, body, isBase64Encoded }` is honoured, a string is the body, anything
 * else is sent as JSON.
 */
export function gatewayResponse(value: unknown): GatewayResponse {
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as { statusCode?: unknown }).statusCode === 'number') {
    const shaped = value as { statusCode: number; headers?: Record<string, unknown>; body?: unknown; isBase64Encoded?: boolean };
    const headers: Record<string, string> = {};
    for (const [key, header] of Object.entries(shaped.headers ?? {})) headers[key.toLowerCase()] = String(header);
    let body = '';
    if (typeof shaped.body === 'string') body = shaped.isBase64Encoded ? Buffer.from(shaped.body, 'base64').toString('utf8') : shaped.body;
    else if (shaped.body !== undefined && shaped.body !== null) body = JSON.stringify(shaped.body);
    return { statusCode: shaped.statusCode, headers, body };
  }
  if (typeof value === 'string') return { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: value };
  return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value ?? null) };
}
