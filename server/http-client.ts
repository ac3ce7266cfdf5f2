import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/**
 * A small JSON client on node:http/https: functions run on WeChat Cloud's Node 16, which has no
 * global fetch. Every request has a deadline (the 公众号 gateway must answer within 5 s).
 */

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  query?: Record<string, string | undefined>;
  /** Sent as JSON unless `multipart` is given. */
  json?: unknown;
  /** One file part, as multipart/form-data (e.g. the 公众号 media upload's `media` field). */
  multipart?: { field: string; filename: string; contentType: string; data: Buffer };
  timeoutMs?: number;
}

/**
 * Internal on purpose, not a DuetError: the HTTP status and text are for the caller to map (the
 * 公众号 API's errcode table, a payment callback's retry) — none of it is a product refusal yet.
 * Uncaught, it becomes INTERNAL with the request id in the log.
 */
export class HttpClientError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HttpClientError';
  }
}

const DEFAULT_TIMEOUT_MS = 3000;
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

/** Performs the request and parses the answer as JSON; throws HttpClientError on network, status or parse failures. */
export function requestJson<T = Record<string, unknown>>(request: HttpRequest): Promise<T> {
  const url = new URL(request.url);
  for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
  let body: Buffer | undefined;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.multipart) {
    const boundary = `----duet${randomBytes(12).toString('hex')}`;
    const part = request.multipart;
    body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.field}"; filename="${part.filename}"\r\nContent-Type: ${part.contentType}\r\n\r\n`,
      ),
      part.data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
  } else if (request.json !== undefined) {
    // WeChat reads the JSON as UTF-8 and wants Chinese unescaped, which JSON.stringify does.
    body = Buffer.from(JSON.stringify(request.json), 'utf8');
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  if (body) headers['content-length'] = String(body.length);
  const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
  if (!transport) return Promise.reject(new HttpClientError(`unsupported protocol ${url.protocol}`));
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const label = `${request.method} ${url.origin}${url.pathname}`;

  return new Promise<T>((resolve, reject) => {
    const req = transport.request(url, { method: request.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy(new HttpClientError(`${label}: response larger than ${MAX_RESPONSE_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          reject(new HttpClientError(`${label}: HTTP ${status} ${text.slice(0, 200)}`, status));
          return;
        }
        try {
          resolve(JSON.parse(text) as T);
        } catch {
          reject(new HttpClientError(`${label}: answer is not JSON: ${text.slice(0, 200)}`, status));
        }
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new HttpClientError(`${label}: no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => reject(error instanceof HttpClientError ? error : new HttpClientError(`${label}: ${error.message}`)));
    req.end(body);
  });
}
