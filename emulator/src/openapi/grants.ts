import type { StateStore } from '../context';

/**
 * One-time subscription grants: each "accept" of `requestSubscribeMessage` allows exactly one send
 * of that template to that user. Kept in the state store so it survives a restart of a durable
 * local cloud. All operations are synchronous, so check-and-consume cannot interleave with
 * another send (Node runs one handler step at a time).
 */
type Ledger = Record<string, Record<string, number>>;

const KEY = 'openapi.grants';

export function createGrantLedger(state: StateStore) {
  // Read through the store on every operation, so an import or restore of state is seen at once.
  const load = (): Ledger => state.get<Ledger>(KEY) ?? {};
  const save = (ledger: Ledger) => state.set(KEY, ledger);

  return {
    /** Adds one grant per accepted template; an openid that asked at all becomes known. */
    add(openid: string, accepted: string[]): void {
      const ledger = load();
      const mine = ledger[openid] ?? {};
      ledger[openid] = mine;
      for (const templateId of accepted) mine[templateId] = (mine[templateId] ?? 0) + 1;
      save(ledger);
    },
    /** Takes one grant if there is one. */
    consume(openid: string, templateId: string): boolean {
      const ledger = load();
      const mine = ledger[openid];
      const remaining = mine?.[templateId] ?? 0;
      if (!mine || remaining <= 0) return false;
      mine[templateId] = remaining - 1;
      save(ledger);
      return true;
    },
    knows(openid: string): boolean {
      return Object.hasOwn(load(), openid);
    },
    remaining(openid: string): Record<string, number> {
      return load()[openid] ?? {};
    },
    all(): Ledger {
      return load();
    },
    reset(): void {
      save({});
    },
  };
}

export type GrantLedger = ReturnType<typeof createGrantLedger>;
