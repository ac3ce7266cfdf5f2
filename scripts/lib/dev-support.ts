import path from 'node:path';

export const NO_PROGRESS_BAR_PRELOAD = path.join(import.meta.dirname, 'no-progress-bar.cjs');

/**
 * The environment for the `taro build --watch` child. On a terminal its progress bar is welcome; into a
 * file or a pipe it preloads no-progress-bar.cjs, keeping whatever NODE_OPTIONS the developer set.
 */
export function taroEnv(base: Env, isTTY: boolean, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: Env = { ...base, ...extra };
  const preload = `--require ${JSON.stringify(NO_PROGRESS_BAR_PRELOAD)}`;
  if (!isTTY && !env.NODE_OPTIONS?.includes(preload)) env.NODE_OPTIONS = [env.NODE_OPTIONS, preload].filter(Boolean).join(' ');
  return env as NodeJS.ProcessEnv;
}

type Env = Record<string, string | undefined>;

export interface WaitForHttpOptions {
  /** Give up after this long (default 5 minutes: a cold H5 build on 2 shared cores takes about a minute). */
  timeoutMs?: number;
  intervalMs?: number;
  /** Stop waiting early, e.g. when the process that should answer has exited. */
  signal?: AbortSignal;
}

/**
 * Resolves once `url` answers 2xx. Connection refused and 5xx mean "not yet". Each request may take
 * as long as the overall timeout allows, since webpack's dev server holds requests until its first
 * compilation is done rather than failing them.
 */
export async function waitForHttp(url: string, options: WaitForHttpOptions = {}): Promise<{ status: number; waitedMs: number }> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 300_000;
  const intervalMs = options.intervalMs ?? 500;
  let last = 'no answer yet';
  for (;;) {
    options.signal?.throwIfAborted();
    const left = timeoutMs - (Date.now() - started);
    if (left <= 0) throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
    const attempt = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(left)]) : AbortSignal.timeout(left);
    try {
      const response = await fetch(url, { signal: attempt });
      await response.body?.cancel();
      if (response.ok) return { status: response.status, waitedMs: Date.now() - started };
      last = `HTTP ${response.status}`;
    } catch (error) {
      options.signal?.throwIfAborted();
      last = String((error as { cause?: { code?: string } })?.cause?.code ?? (error as Error)?.message ?? error);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
