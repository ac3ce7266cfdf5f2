import { type Failure, toFailure } from '../services/errors';
import type { LoadStatus } from './useMemberStore';

interface Loadable {
  status: LoadStatus;
  error: string | null;
  failure: Failure | null;
}

/**
 * A store's load that keeps what is shown: with `keep` (the same thing, already on screen) a
 * reload refreshes it behind the page and a failure only sets the error; otherwise the store is
 * reset to loading first, so another item's answer never shows under this one. Only the latest
 * load's answer lands: a slow earlier answer is dropped.
 */
export function latestLoad<S extends Loadable>(set: (partial: Partial<S>) => void, label: string) {
  let latest = 0;
  return async <T>(keep: boolean, reset: Partial<S>, fetch: () => Promise<T>, apply: (answer: T) => Partial<S>): Promise<void> => {
    const ticket = ++latest;
    set(
      keep ? ({ error: null, failure: null } as Partial<S>) : ({ ...reset, status: 'loading', error: null, failure: null } as Partial<S>),
    );
    try {
      const answer = await fetch();
      if (ticket === latest) set({ status: 'ready', ...apply(answer) } as Partial<S>);
    } catch (error) {
      const failure = toFailure(error, label);
      if (ticket !== latest) return;
      set((keep ? { error: failure.message, failure } : { status: 'error', error: failure.message, failure }) as Partial<S>);
    }
  };
}
