import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSeatParams, type GroupSeat, parseSeatParams } from './seat-param';

describe('group seat checkout params', () => {
  it('opens with an activity, joins with a group, always with a SKU', () => {
    expect(parseSeatParams({ activity: 'gb-mug', sku: 'sku-pink' })).toEqual({ kind: 'open', activityId: 'gb-mug', skuId: 'sku-pink' });
    expect(parseSeatParams({ group: 'g1', sku: 'sku-pink' })).toEqual({ kind: 'join', groupId: 'g1', skuId: 'sku-pink' });
  });

  it('names no seat when the SKU is missing, or when both or neither of activity and group are given', () => {
    expect(parseSeatParams({ activity: 'gb-mug' })).toBeNull();
    expect(parseSeatParams({ activity: 'gb-mug', group: 'g1', sku: 's' })).toBeNull();
    expect(parseSeatParams({ sku: 's' })).toBeNull();
    expect(parseSeatParams({ activity: ' ', sku: 's' })).toBeNull();
    expect(parseSeatParams({ lines: 'sku*1' })).toBeNull();
  });

  it('any seat reads back from its params', () => {
    const id = fc.stringMatching(/^[^\s]{1,64}$/);
    const seat: fc.Arbitrary<GroupSeat> = fc.oneof(
      fc.record({ kind: fc.constant('open' as const), activityId: id, skuId: id }),
      fc.record({ kind: fc.constant('join' as const), groupId: id, skuId: id }),
    );
    fc.assert(
      fc.property(seat, (s) => {
        expect(parseSeatParams(formatSeatParams(s))).toEqual(s);
      }),
    );
  });
});
