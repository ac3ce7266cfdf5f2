/**
 * A setting read at most once per `ttlMs` by a warm function instance (settings change rarely; a
 * change applies everywhere within the TTL). `put` is for the instance that wrote the setting: it
 * sees its own change at once.
 */
export function instanceCache<T>(ttlMs: number, load: () => Promise<T>) {
  let cached: { value: T; readAt: number } | null = null;
  return {
    async get(): Promise<T> {
      if (cached && performance.now() - cached.readAt < ttlMs) return cached.value;
      const value = await load();
      cached = { value, readAt: performance.now() };
      return value;
    },
    put(value: T): void {
      cached = { value, readAt: performance.now() };
    },
  };
}
