import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AdminAction, type AdminRequest, type EmulatorContext, isPayFailFault } from './context';
import { AdminError } from './errors';
import { createRequestGuard, type RequestGuard } from './guard';
import { HttpError, readBody, type Route, sendJson } from './http';
import { parseAdminRequest } from './admin-request';

/**
 * One HTTP server for everything: the SDK endpoint (`POST /admin`), the control plane
 * (`/_emu/...`) and the module routes (storage files, the 公众号 API fake, the H5 app).
 */
export function createHttpServer(ctx: EmulatorContext, actions: Map<string, AdminAction>, routes: Route[]): Server {
  /** Answers held on purpose (injected timeouts). */
  const held = new Set<ServerResponse>();
  // The call a test left hanging must not outlive the reset into the next test.
  ctx.onReset(() => {
    for (const res of held) res.destroy();
    held.clear();
  });
  const guard = createRequestGuard(ctx.options);
  return createServer((req, res) => {
    handle(ctx, actions, routes, held, guard, req, res).catch((error) => {
      ctx.log('error', 'unhandled request error', { url: req.url, error: String(error?.stack ?? error) });
      if (!res.headersSent) sendJson(res, 500, { error: { errCode: -1, errMsg: String(error?.message ?? error) } });
      else res.destroy();
    });
  });
}

async function handle(
  ctx: EmulatorContext,
  actions: Map<string, AdminAction>,
  routes: Route[],
  held: Set<ServerResponse>,
  guard: RequestGuard,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  // Before anything else, OPTIONS included: a refused page learns nothing, not even which routes exist.
  const refusal = guard.refusal(req);
  if (refusal) {
    ctx.log('warn', `refused ${method} ${req.url}: ${refusal.message}`);
    sendJson(res, refusal.status, { error: { message: refusal.message } });
    return;
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'origin');
  }
  if (method === 'OPTIONS') {
    res.writeHead(204, {
      'access-control-allow-methods': 'GET,POST,PUT,DELETE,OPTIONS',
      'access-control-allow-headers': 'content-type,authorization',
    });
    res.end();
    return;
  }
  const malformed = malformedEscape(req.url ?? '/');
  if (malformed) {
    sendJson(res, 400, { error: { message: `malformed percent-escape in the URL: ${malformed}` } });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  if (method === 'POST' && url.pathname === '/admin') {
    await handleAdmin(ctx, actions, held, req, res);
    return;
  }
  for (const route of routes) {
    if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) continue;
    const match = route.pattern.exec(url.pathname);
    if (!match) continue;
    const unaccepted = unacceptedBody(method, url.pathname, route, req);
    if (unaccepted) {
      sendJson(res, 415, { error: { message: unaccepted } });
      return;
    }
    try {
      const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value ?? '')]));
      const result = await route.handler({ req, res, url, params, ...waits(req, res, held) });
      // Held or delayed, then dropped (the client gave up, a reset, a stop): no one is left to answer.
      if (res.destroyed) return;
      if (result !== undefined && !res.headersSent) sendJson(res, 200, result);
      else if (!res.writableEnded && !res.headersSent) {
        res.writeHead(204);
        res.end();
      }
    } catch (error) {
      if (error instanceof HttpError) {
        sendJson(res, error.status, error.body ?? { error: { message: error.message } });
      } else throw error;
    }
    return;
  }
  sendJson(res, 404, { error: { message: `no route for ${method} ${url.pathname}` } });
}

/**
 * Injected waits for one request. A waiting response is in `held`, so a reset drops it (the call a
 * test left waiting must not run into the next test) and stop() closes it with every connection.
 */
function waits(
  req: IncomingMessage,
  res: ServerResponse,
  held: Set<ServerResponse>,
): { hold(): Promise<void>; delay(ms: number): Promise<boolean> } {
  let gone = false;
  // Before the handler reads the body: a close that comes early must still end the wait.
  const closed = new Promise<void>((resolve) =>
    res.once('close', () => {
      gone = true;
      resolve();
    }),
  );
  return {
    async hold() {
      req.socket.setTimeout(0);
      held.add(res);
      await closed;
      held.delete(res);
    },
    async delay(ms) {
      if (gone || res.destroyed) return false;
      held.add(res);
      let timer: NodeJS.Timeout | undefined;
      // A timer, not a busy wait: every other request is served meanwhile.
      const elapsed = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      });
      await Promise.race([elapsed, closed]);
      clearTimeout(timer);
      held.delete(res);
      return !gone && !res.destroyed;
    },
  };
}

/** The part of a request target (path or query) whose `%` escapes do not decode, if any. */
function malformedEscape(target: string): string | undefined {
  const [pathPart, query = ''] = target.split(/\?(.*)/s, 2);
  const parts = [pathPart, ...query.split('&').map((pair) => pair.replace(/\+/g, ' '))];
  for (const part of parts) {
    try {
      decodeURIComponent(part);
    } catch {
      return part;
    }
  }
  return undefined;
}

/**
 * Control-plane POSTs take JSON only (or what the route declares): the types a page may send
 * cross-origin without a preflight (text/plain, forms) never reach a handler, whatever the
 * Origin check decides. HTTP-triggered functions get any body, as the gateway passes them on.
 */
function unacceptedBody(method: string, pathname: string, route: Route, req: IncomingMessage): string | undefined {
  if (method !== 'POST' || !pathname.startsWith('/_emu/') || pathname.startsWith('/_emu/http/')) return undefined;
  const accepts = route.accepts ?? ['application/json'];
  const given = String(req.headers['content-type'] ?? '');
  const type = given.split(';')[0].trim().toLowerCase();
  if (accepts.includes(type)) return undefined;
  return `POST ${pathname} needs content-type: ${accepts.join(' or ')} (got ${given ? JSON.stringify(given) : 'none'})`;
}

async function handleAdmin(
  ctx: EmulatorContext,
  actions: Map<string, AdminAction>,
  held: Set<ServerResponse>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  let action = '(unparsed)';
  const wait = waits(req, res, held);
  try {
    const body = await readBody(req);
    const parsed = parseAdminRequest(req, body);
    action = String(parsed.params.action ?? '');
    ctx.stats.count(action);
    const handler = actions.get(action);
    if (!handler) throw new AdminError('INVALID_ACTION', `the local cloud does not serve action ${action}`);
    const token = String(parsed.params.wxCloudApiToken ?? '');
    const request: AdminRequest = {
      action,
      invocation: token ? ctx.functions.invocation(token) : undefined,
      headers: req.headers,
      files: parsed.files,
      ...wait,
    };
    // Both taken on arrival, so that concurrent calls meet the faults in the order they came.
    const delayMs = ctx.faults.takeDelay(action);
    const fault = ctx.faults.take(action);
    if (delayMs !== undefined && !(await request.delay(delayMs))) return;
    if (fault === 'timeout') {
      // Production's gateway gives up without an answer; the SDK sees the socket hang.
      await request.hold();
      return;
    }
    // A cloudPay business failure is only accepted for cloudPay.<api> targets, never an action.
    if (fault && !isPayFailFault(fault)) throw new AdminError(String(fault.errCode), fault.errMsg, { errCode: fault.errCode });
    const result = (await handler(parsed.params, request)) as Record<string, unknown> | Buffer | undefined;
    // The client gave up (an injected timeout): there is no one left to answer.
    if (res.destroyed) return;
    if (Buffer.isBuffer(result)) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': result.length });
      res.end(result);
      return;
    }
    sendJson(res, 200, { requestId, ...(result ?? {}) });
  } catch (error) {
    if (error instanceof AdminError) {
      sendJson(res, 200, { requestId, code: error.code, message: error.message, ...error.extra });
      return;
    }
    if (error instanceof HttpError) {
      sendJson(res, error.status, { requestId, code: 'INVALID_PARAM', message: error.message });
      return;
    }
    ctx.log('error', `action ${action} failed`, { error: String((error as Error)?.stack ?? error) });
    sendJson(res, 200, { requestId, code: 'SYS_ERR', message: String((error as Error)?.message ?? error) });
  }
}
