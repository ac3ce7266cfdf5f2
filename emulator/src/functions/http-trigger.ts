import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context';
import { readBody, sendJson } from '../http';
import type { IntegrationRequest } from '../context';
import type { LocalFunctions } from './service';

/** Bodies the HTTP access service passes as text; anything else arrives base64-encoded. */
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

export async function integrationRequest(
  ctx: EmulatorContext,
  req: IncomingMessage,
  url: URL,
  functionName: string,
  rest: string,
): Promise<IntegrationRequest> {
  const body = await readBody(req);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const contentType = headers['content-type'] ?? '';
  const asText = body.length === 0 || TEXT_TYPES.test(contentType);
  return {
    // The access path is taken to be `/<function name>`, the usual mapping for a gateway function.
    path: `/${functionName}${rest}`,
    httpMethod: (req.method ?? 'GET').toUpperCase(),
    headers,
    queryStringParameters: query,
    requestContext: { appId: '1300000000', envId: ctx.options.envId, requestId: randomUUID(), uin: '100000000001' },
    body: asText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !asText,
  };
}

/**
 * Integration response: `{ statusCode, headers, body, isBase64Encoded }` is honoured; a string
 * is sent as text, any other value as JSON (how the HTTP access service answers a plain return).
 */
export function sendIntegrationResponse(res: ServerResponse, method: string, value: unknown): void {
  let status = 200;
  let headers: Record<string, string> = {};
  let body: Buffer;
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as { statusCode?: unknown }).statusCode === 'number') {
    const shaped = value as { statusCode: number; headers?: Record<string, unknown>; body?: unknown; isBase64Encoded?: boolean };
    status = shaped.statusCode;
    for (const [key, header] of Object.entries(shaped.headers ?? {})) headers[key.toLowerCase()] = String(header);
    const raw = shaped.body;
    if (raw === undefined || raw === null) body = Buffer.alloc(0);
    else if (typeof raw === 'string') body = shaped.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
    else {
      body = Buffer.from(JSON.stringify(raw), 'utf8');
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (typeof value === 'string') {
    body = Buffer.from(value, 'utf8');
    headers = { 'content-type': 'text/plain; charset=utf-8' };
  } else {
    body = Buffer.from(JSON.stringify(value ?? null), 'utf8');
    headers = { 'content-type': 'application/json; charset=utf-8' };
  }
  headers['content-length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(method === 'HEAD' ? undefined : body);
}

export async function handleHttpFunction(
  ctx: EmulatorContext,
  functions: LocalFunctions,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  restOfPath: string,
): Promise<void> {
  const match = /^([^/]+)(\/.*)?$/.exec(restOfPath);
  const name = match?.[1] ?? '';
  if (!name || !functions.entry(name)) {
    sendJson(res, 404, { errCode: -501000, errMsg: 'FunctionName parameter could not be found.' });
    return;
  }
  const event = await integrationRequest(ctx, req, url, name, match?.[2] ?? '');
  const outcome = await functions.run({ name, event, source: 'wx_http' });
  if (!outcome.ok) {
    const status = outcome.failure.errCode === -504003 ? 504 : 502;
    sendJson(res, status, { errCode: outcome.failure.errCode, errMsg: outcome.failure.errMsg });
    return;
  }
  sendIntegrationResponse(res, req.method ?? 'GET', JSON.parse(outcome.json));
}
