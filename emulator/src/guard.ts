import type { IncomingMessage } from 'node:http';
import os from 'node:os';

/**
 * Who may talk to the local cloud. It has no authentication, so what keeps a web page open in
 * the developer's browser from driving it (running functions as the console, reading an export,
 * resetting data) is refusing what only a browser sends: an `Origin` that is not the developer's
 * own (loopback or the H5 app), and a `Host` that is not this server (DNS rebinding: a page whose
 * domain now resolves to 127.0.0.1 is same-origin with the local cloud but still names its own host).
 * Programs (the SDK, scripts, WeChat's servers reaching the 公众号 gateway) send no `Origin` and
 * are not affected.
 */
export interface RequestGuard {
  /**
   * Why the request is refused, or undefined. Headers only: nothing of the body is read. An
   * accepted request's `Origin`, if any, is one the local cloud may answer with CORS.
   */
  refusal(req: IncomingMessage): { status: number; message: string } | undefined;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** Loopback as a listen address: the names above, all of 127.0.0.0/8, IPv4-mapped loopback. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(name);
}

/** `hostname` as `URL` spells it (IPv6 in brackets, lower case), or undefined when it is no host. */
function hostnameOf(hostHeader: string): string | undefined {
  try {
    const url = new URL(`http://${hostHeader}`);
    // Anything beyond host[:port] (a path, credentials) is no Host header.
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    return url.hostname;
  } catch {
    return undefined;
  }
}

export function createRequestGuard(options: { host: string; h5Url?: string }): RequestGuard {
  const hosts = new Set(LOOPBACK_NAMES);
  const listen = hostnameOf(options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host);
  if (listen) hosts.add(listen);
  // Listening on every interface: the machine's own addresses and name are this server too.
  if (WILDCARDS.has(options.host)) {
    hosts.add(os.hostname().toLowerCase());
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const address of addresses ?? []) {
        const name = hostnameOf(address.family === 'IPv6' ? `[${address.address}]` : address.address);
        if (name) hosts.add(name);
      }
    }
  }

  let h5Origin: string | undefined;
  try {
    h5Origin = options.h5Url ? new URL(options.h5Url).origin : undefined;
  } catch {
    h5Origin = undefined;
  }

  const originAllowed = (origin: string, hostHeader: string | undefined): boolean => {
    if (origin === h5Origin) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    // An Origin is scheme://host[:port] and nothing else; `null` (sandboxed frames, file://) fails here.
    if (url.origin !== origin || url.protocol !== 'http:') return false;
    if (LOOPBACK_NAMES.has(url.hostname)) return true;
    // The H5 app served by the local cloud itself, reached by an address the Host check accepted.
    return hostHeader !== undefined && url.host === hostHeader.toLowerCase();
  };

  return {
    refusal(req) {
      const hostHeader = req.headers.host;
      if (hostHeader !== undefined) {
        const name = hostnameOf(hostHeader);
        if (!name || !hosts.has(name)) {
          return {
            status: 421,
            message:
              `refused: Host ${JSON.stringify(hostHeader)} is not this local cloud (it answers to ${[...hosts].join(', ')}). ` +
              'A foreign Host is what a DNS-rebinding web page sends; see "Safety" in emulator/README.md.',
          };
        }
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !originAllowed(origin, hostHeader)) {
        return {
          status: 403,
          message:
            `refused: requests from the web page at ${origin} may not use the local cloud. Only loopback origins ` +
            `(http://127.0.0.1, http://localhost, http://[::1], any port)${h5Origin ? `, the H5 app (${h5Origin})` : ''} ` +
            'and programs that send no Origin may; see "Safety" in emulator/README.md.',
        };
      }
      return undefined;
    },
  };
}
