/**
 * SOURCE values (first element of the chain) of callers that are the platform itself: the
 * console's test run (`wx_cloudconsole`, `wx_devtools` from WeChat DevTools / the local cloud's
 * invoke without a user) and timer triggers (`wx_trigger`). Never `wx_http`: an HTTP-triggered
 * function is reachable by anyone on the internet, and never `wx_client`.
 */
const PLATFORM_SOURCES: ReadonlyMap<string, 'console' | 'trigger'> = new Map([
  ['wx_cloudconsole', 'console'],
  ['wx_devtools', 'console'],
  ['wx_trigger', 'trigger'],
]);

/** Whether a caller without an OPENID is the platform (console or timer), from its SOURCE chain. */
export function platformCallerKind(source: string): 'console' | 'trigger' | null {
  const origin = source.split(',')[0]?.trim() ?? '';
  return PLATFORM_SOURCES.get(origin) ?? null;
}
