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
  const load = (): Ledger => state.get<Ledger>(KEY) ?? {};
  let ledger = load();
  const save = () => state.set(KEY, ledger);

  return {
    /** Adds one grant per accepted template; an openid that asked at all becomes known. */
    add(openid: string, accepted: string[]): void {
      const mine = (ledger[openid] ??= {});
      for (const templateId of accepted) mine[templateId] = (mine[templateId] ?? 0) + 1;
      save();
    },
    /** Takes one grant if there is one. */
    consume(openid: string, templateId: string): boolean {
      const remaining = ledger[openid]?.[templateId] ?? 0;
      if (remaining <= 0) return false;
      ledger[openid][templateId] = remaining - 1;
      save();
      return true;
    },
    knows(openid: string): boolean {
      return Object.hasOwn(ledger, openid);
    },
    remaining(openid: string): Record<string, number> {
      return { ...(ledger[openid] ?? {}) };
    },
    all(): Ledger {
      return JSON.parse(JSON.stringify(ledger)) as Ledger;
    },
    reset(): void {
      ledger = {};
      save();
    },
  };
}

export type GrantLedger = ReturnType<typeof createGrantLedger>;
