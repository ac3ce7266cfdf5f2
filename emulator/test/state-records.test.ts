import { describe, expect, it } from 'vitest';
import type { StateStore } from '../src/context';
import { SqliteStore, stateStoreOn } from '../src/db/store';
import { createGrantLedger } from '../src/openapi/grants';
import { createOutbox } from '../src/services';

/** A state store that counts the bytes each `set` writes. */
function measured(): { state: StateStore; writes: number[] } {
  const state = stateStoreOn(new SqliteStore(':memory:'));
  const writes: number[] = [];
  return {
    writes,
    state: {
      ...state,
      set: (key, value) => {
        writes.push(JSON.stringify(value).length);
        state.set(key, value);
      },
    },
  };
}

const clock = { now: () => new Date('2026-12-03T02:00:00.000Z') } as Parameters<typeof createOutbox>[1];

/**
 * The outbox and the grant ledger write one small record per message and per openid: a dispatcher
 * sending thousands of messages must not rewrite everything sent before with each one (it did, and
 * a 2,000-message run spent most of its time there).
 */
describe('module state: one record per entry', () => {
  it('recording the 1,000th message writes about one message, and the outbox reads back in order after a restart', () => {
    const { state, writes } = measured();
    const outbox = createOutbox(state, clock);
    for (let i = 0; i < 1000; i += 1)
      outbox.record({ kind: 'subscribeMessage', api: 'subscribeMessage.send', request: { touser: `o-${i}` }, response: { errcode: 0 } });
    expect(Math.max(...writes)).toBeLessThan(300);
    const again = createOutbox(state, clock).list();
    expect(again).toHaveLength(1000);
    expect(again.map((e) => e.id)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect((again[999].request as { touser: string }).touser).toBe('o-999');
  });

  it('consuming a grant writes that openid’s record only; the ledger survives a restart and a reset empties it', () => {
    const { state, writes } = measured();
    const ledger = createGrantLedger(state);
    for (let i = 0; i < 500; i += 1) ledger.add(`o-${i}`, ['TPL_A', 'TPL_B']);
    writes.length = 0;
    expect(ledger.consume('o-250', 'TPL_A')).toBe(true);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toBeLessThan(100);
    const after = createGrantLedger(state);
    expect(after.remaining('o-250')).toEqual({ TPL_A: 0, TPL_B: 1 });
    expect(after.knows('o-499')).toBe(true);
    expect(after.knows('o-500')).toBe(false);
    expect(Object.keys(after.all())).toHaveLength(500);
    after.reset();
    expect(after.all()).toEqual({});
    expect(after.knows('o-1')).toBe(false);
  });

  it('moves a local cloud’s old single-record outbox and grants over once', () => {
    const state = stateStoreOn(new SqliteStore(':memory:'));
    state.set('outbox', [
      { id: 1, at: '2026-12-01T00:00:00.000Z', kind: 'mp', api: 'message/template/send', request: {}, response: { errcode: 0 } },
      { id: 2, at: '2026-12-01T00:00:01.000Z', kind: 'mp', api: 'message/template/send', request: {}, response: { errcode: 0 } },
    ]);
    state.set('openapi.grants', { 'o-old': { TPL_A: 2 } });
    const outbox = createOutbox(state, clock);
    expect(outbox.list().map((e) => e.id)).toEqual([1, 2]);
    expect(outbox.record({ kind: 'mp', api: 'x', request: {}, response: {} }).id).toBe(3);
    expect(createGrantLedger(state).remaining('o-old')).toEqual({ TPL_A: 2 });
    expect(state.get('outbox')).toBeUndefined();
    expect(state.get('openapi.grants')).toBeUndefined();
  });
});
