import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MALL_ITEM_STATES, MALL_STATE_MESSAGES, mallItemState, needsAddress } from './mall';

const item = {
  points: 100,
  perMemberLimit: 2,
  startAt: new Date('2026-12-01T00:00:00+08:00'),
  endAt: new Date('2026-12-31T00:00:00+08:00'),
  paused: false,
};
const now = new Date('2026-12-03T10:00:00+08:00');
const facts = { stockLeft: 5, mine: 0, balance: 100, now };

describe('mallItemState', () => {
  it('is available with stock, room under the limit and enough points, inside the window', () => {
    expect(mallItemState(item, facts)).toBe('available');
  });

  it('names each reason not to, at its boundary', () => {
    expect(mallItemState(item, { ...facts, balance: 99 })).toBe('insufficient_points');
    expect(mallItemState(item, { ...facts, mine: 2 })).toBe('limit_reached');
    expect(mallItemState(item, { ...facts, stockLeft: 0 })).toBe('sold_out');
    expect(mallItemState(item, { ...facts, now: new Date(item.startAt.getTime() - 1) })).toBe('not_started');
    expect(mallItemState(item, { ...facts, now: item.startAt })).toBe('available');
    expect(mallItemState(item, { ...facts, now: item.endAt })).toBe('ended');
    expect(mallItemState({ ...item, paused: true }, facts)).toBe('paused');
  });

  it('says the first reason: paused, then the window, then stock, then the member’s limit, then points', () => {
    const everything = { stockLeft: 0, mine: 9, balance: 0 };
    expect(mallItemState({ ...item, paused: true }, { ...facts, ...everything, now: item.endAt })).toBe('paused');
    expect(mallItemState(item, { ...facts, ...everything, now: item.endAt })).toBe('ended');
    expect(mallItemState(item, { ...facts, ...everything })).toBe('sold_out');
    expect(mallItemState(item, { ...facts, mine: 2, balance: 0 })).toBe('limit_reached');
  });

  it('is available exactly when nothing stands in the way, and every refusal has a message', () => {
    const input = fc.record({
      stockLeft: fc.integer({ min: -1, max: 3 }),
      mine: fc.integer({ min: 0, max: 3 }),
      balance: fc.integer({ min: 0, max: 200 }),
      offsetDays: fc.integer({ min: -5, max: 40 }),
      paused: fc.boolean(),
    });
    fc.assert(
      fc.property(input, ({ stockLeft, mine, balance, offsetDays, paused }) => {
        const at = new Date(item.startAt.getTime() + offsetDays * 86_400_000);
        const state = mallItemState({ ...item, paused }, { stockLeft, mine, balance, now: at });
        expect(MALL_ITEM_STATES).toContain(state);
        const open = !paused && at >= item.startAt && at < item.endAt;
        expect(state === 'available').toBe(open && stockLeft > 0 && mine < item.perMemberLimit && balance >= item.points);
        if (state !== 'available') expect(MALL_STATE_MESSAGES[state]).toBeTruthy();
      }),
    );
  });
});

describe('needsAddress', () => {
  it('ships everything but coupons', () => {
    expect(needsAddress('coupon')).toBe(false);
    expect(needsAddress('product')).toBe(true);
    expect(needsAddress('points_cash')).toBe(true);
  });
});
