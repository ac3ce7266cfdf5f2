import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A recording pass-through in front of the local cloud for the wire-fidelity tests: the SDK talks
 * to it as to production, it keeps each request raw and forwards it. Each test file parses and
 * strips what it records in its own way; nothing here interprets the bodies.
 */

export interface WireRecord {
  method: string;
  path: string;
  /** Query parameter names, sorted: their values (env, seqId) are per run. */
  query: string[];
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The local cloud's answer as the SDK received it (JSON after rewriting, anything else as latin1). */
  answer: string;
}

export interface WireProxy {
  /** The proxy's origin: give it to the SDK as the local cloud's base URL. */
  url: string;
  /** The local cloud's base URL; may be set after start when the proxy's origin is needed first. */
  target: string;
  records: WireRecord[];
  close(): Promise<void>;
}

export interface WireProxyOptions {
  target?: string;
  /**
   * Replace the target's origin with the proxy's in JSON answers, so links the local cloud hands
   * out (upload and download URLs) route through the proxy and get recorded too.
   */
  rewriteJson?: boolean;
}

/** Per connection: framing and addressing, not the SDK's choice of wire. */
/** Body fields of every SDK request that change per call or per run: tokens and request ids. */
export const SDK_VOLATILE_FIELDS = new Set([
  'wxCloudApiToken',
  'wxCloudbaseAccesstoken',
  'tcb_sessionToken',
  'sessionToken',
  'crossAuthorizationToken',
  'requestId',
  'seqId',
]);

/** Headers of an SDK request to /admin that stay the same from call to call. */
export const SDK_STABLE_HEADERS = ['content-type', 'user-agent', 'x-sdk-version', 'x-tcb-source', 'x-tcb-region'];

export const TRANSPORT_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding']);

export function startWireProxy(options: WireProxyOptions = {}): Promise<WireProxy> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://proxy.local');
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (!TRANSPORT_HEADERS.has(key) && value !== undefined) headers[key] = String(value);
    }
    try {
      const upstream = await fetch(`${proxy.target}${url.pathname}${url.search}`, {
        method: req.method,
        headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      });
      const type = upstream.headers.get('content-type') ?? '';
      const raw = Buffer.from(await upstream.arrayBuffer());
      const json = type.includes('json');
      let answer = json ? raw.toString('utf8') : raw.toString('latin1');
      if (json && options.rewriteJson) answer = answer.split(proxy.target).join(proxy.url);
      proxy.records.push({
        method: req.method ?? '',
        path: url.pathname,
        query: [...url.searchParams.keys()].sort(),
        headers: req.headers,
        body,
        answer,
      });
      res.writeHead(upstream.status, type ? { 'content-type': type } : {});
      res.end(json ? answer : raw);
    } catch (error) {
      // Answer rather than hang the SDK until its timeout; the test then fails on the call itself.
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  const proxy: WireProxy = {
    url: '',
    target: options.target ?? '',
    records: [],
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve(proxy);
    });
  });
}
