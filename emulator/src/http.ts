import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bodies above this are refused with 413: nothing the SDK or the control plane sends comes close. */
export const MAX_BODY_BYTES = 20 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson<T = unknown>(req: IncomingMessage): Promise<T> {
  const body = await readBody(req);
  if (body.length === 0) return {} as T;
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

/** `readJson` for routes whose body must be one JSON object (an empty body reads as `{}`). */
export async function readJsonObject<T extends object = Record<string, unknown>>(req: IncomingMessage): Promise<T> {
  const body = await readJson<unknown>(req);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'body must be a JSON object');
  return body as T;
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendBuffer(res: ServerResponse, status: number, body: Buffer | string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Named groups of the route's pattern. */
  params: Record<string, string>;
  /** Answers nothing until the client gives up, or a reset or stop drops the connection (an injected `timeout`); resolves then. */
  hold(): Promise<void>;
  /** Waits `ms` (an injected delay); false when the client is gone meanwhile: answer nothing then. See `AdminRequest.delay`. */
  delay(ms: number): Promise<boolean>;
}

/** A handler returns a value to send as JSON 200, or takes over `res` itself and returns `undefined`. */
export type RouteHandler = (request: RouteRequest) => Promise<unknown> | unknown;

export interface Route {
  method: string;
  /** As written: `/_emu/functions/:name/invoke`, or a prefix ending in `*` (`/_emu/http/*`); what the contract lists. */
  path: string;
  pattern: RegExp;
  handler: RouteHandler;
  /** Media types a control-plane POST may carry (default `application/json`; see server.ts). */
  accepts?: string[];
}

/** `route('GET', '/_emu/functions/:name/invoke', h)` */
export function route(method: string, path: string, handler: RouteHandler): Route {
  const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, '(?<$1>[^/]+)');
  return { method, path, pattern: new RegExp(`^${source}$`), handler };
}

/** `route` for a path prefix: everything after it lands in `params.rest`. */
export function prefixRoute(method: string, prefix: string, handler: RouteHandler): Route {
  const source = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { method, path: `${prefix}*`, pattern: new RegExp(`^${source}(?<rest>.*)$`), handler };
}
