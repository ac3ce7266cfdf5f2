import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Attribution, applyTouch, mergeAttribution, type Touch } from './attribution';

const touch: fc.Arbitrary<Touch> = fc.record({
  scene: fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,8}$/), { nil: undefined }),
  channel: fc.constantFrom('article', 'share', 'mp_qr'),
  at: fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }),
});

function replay(touches: Touch[]): Attribution {
  let state: Attribution = {};
  for (const t of touches) state = { ...state, ...applyTouch(state, t) };
  return state;
}

describe('attribution', () => {
  it('the first touch is the first arrival and never changes; the last touch is the latest arrival', () => {
    fc.assert(
      fc.property(fc.array(touch, { minLength: 1, maxLength: 20 }), (touches) => {
        const state = replay(touches);
        expect(state.firstTouch).toBe(touches[0]);
        const latest = Math.max(...touches.map((t) => t.at.getTime()));
        expect(state.lastTouch?.at.getTime()).toBe(latest);
      }),
    );
  });

  it('merging keeps the earliest first touch and the latest last touch, in either order', () => {
    fc.assert(
      fc.property(fc.array(touch, { minLength: 1, maxLength: 8 }), fc.array(touch, { minLength: 1, maxLength: 8 }), (a, b) => {
        const left = replay(a);
        const right = replay(b);
        const merged = mergeAttribution(left, right);
        const swapped = mergeAttribution(right, left);
        expect(merged.firstTouch?.at.getTime()).toBe(Math.min(left.firstTouch!.at.getTime(), right.firstTouch!.at.getTime()));
        expect(merged.lastTouch?.at.getTime()).toBe(Math.max(left.lastTouch!.at.getTime(), right.lastTouch!.at.getTime()));
        expect(swapped.firstTouch?.at.getTime()).toBe(merged.firstTouch?.at.getTime());
        expect(swapped.lastTouch?.at.getTime()).toBe(merged.lastTouch?.at.getTime());
      }),
    );
  });

  it('merging with an unattributed member changes nothing', () => {
    fc.assert(
      fc.property(fc.array(touch, { minLength: 1, maxLength: 8 }), (a) => {
        const state = replay(a);
        expect(mergeAttribution(state, {})).toEqual(state);
      }),
    );
  });
});
