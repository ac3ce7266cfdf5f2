import { describe, expect, it } from 'vitest';
import { autoCompleteAtFor, autoCompleteDaysFrom, decideShipment } from './shipping';
import { ORDER_STATES } from './transitions';

describe('shipping rules', () => {
  const ask = { carrier: '顺丰速运', trackingNo: 'SF1234567890' };

  it('ships a paid order only, and refuses every other state without a shipment with a reason', () => {
    for (const state of ORDER_STATES) {
      const decision = decideShipment({ state }, ask);
      if (state === 'paid') expect(decision).toEqual({ outcome: 'ship' });
      else expect(decision, state).toMatchObject({ outcome: 'refused', reason: expect.any(String) });
    }
    expect(decideShipment({ state: 'refunding' }, ask)).toMatchObject({ reason: expect.stringContaining('refund') });
  });

  it('answers already_shipped for the same shipment in any state, and refuses another one', () => {
    for (const state of ['shipped', 'completed', 'refunding', 'refunded'] as const) {
      expect(decideShipment({ state, shipment: { carrier: ' 顺丰速运', trackingNo: 'sf1234567890' } }, ask)).toEqual({
        outcome: 'already_shipped',
      });
    }
    expect(decideShipment({ state: 'shipped', shipment: { carrier: '中通快递', trackingNo: '7890' } }, ask)).toEqual({
      outcome: 'refused',
      reason: 'already shipped as 中通快递 7890; a shipment is not changed',
    });
  });

  it('reads the auto-complete delay: default 7 days, 1–30 allowed, anything else refused', () => {
    expect(autoCompleteDaysFrom(undefined)).toBe(7);
    expect(autoCompleteDaysFrom('')).toBe(7);
    expect(autoCompleteDaysFrom('10')).toBe(10);
    expect(autoCompleteDaysFrom(' 1 ')).toBe(1);
    for (const bad of ['0', '31', '7.5', '-3', 'seven']) expect(autoCompleteDaysFrom(bad), bad).toBeNull();
    expect(autoCompleteAtFor(new Date('2026-12-03T02:00:00Z'), 7).toISOString()).toBe('2026-12-10T02:00:00.000Z');
  });
});
