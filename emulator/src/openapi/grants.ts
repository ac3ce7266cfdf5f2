import type { StateStore } from '../context';

/**
 * One-time subscription grants: each "accept" of `requestSubscribeMessage` allows exactly one send
 * of that template to that user. Kept in the state store, one record per openid
 * (`openapi.grants/<openid>`), so a send reads and writes one small row and survives a restart of a
 * durable local cloud. All operations are synchronous, so check-and-consume cannot interleave with
 * another send (Node runs one handler step at a time).
 */
type Ledger = Record<string, Record<string, number>>;

const PREFIX = 'openapi.grants/';

export function createGrantLedger(state: StateStore) {
  // A local cloud that kept every openid's grants in one record is moved over once.
  const legacy = state.get<Ledger>('openapi.grants');
  if (legacy) {
    for (const [openid, grants] of Object.entries(legacy)) state.set(PREFIX + openid, grants);
    state.delete('openapi.grants');
  }
  const load = (openid: string) => state.get<Record<string, number>>(PREFIX + openid);

  return {
    /** Adds one grant per accepted template; an openid that asked at all becomes known. */
    add(openid: string, accepted: string[]): void {
      const mine = load(openid) ?? {};
      for (const templateId of accepted) mine[templateId] = (mine[templateId] ?? 0) + 1;
      state.set(PREFIX + openid, mine);
    },
    /** Takes one grant if there is one. */
    consume(openid: string, templateId: string): boolean {
      const mine = load(openid);
      const remaining = mine?.[templateId] ?? 0;
      if (!mine || remaining <= 0) return false;
      mine[templateId] = remaining - 1;
      state.set(PREFIX + openid, mine);
      return true;
    },
    knows(openid: string): boolean {
      return load(openid) !== undefined;
    },
    remaining(openid: string): Record<string, number> {
      return load(openid) ?? {};
    },
    all(): Ledger {
      return Object.fromEntries(state.entries<Record<string, number>>(PREFIX).map(([key, grants]) => [key.slice(PREFIX.length), grants]));
    },
    reset(): void {
      for (const [key] of state.entries(PREFIX)) state.delete(key);
    },
  };
}

export type GrantLedger = ReturnType<typeof createGrantLedger>;
