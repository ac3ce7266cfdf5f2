import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideLease, isLeaseFree, leaseUntil } from './lease';

const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);

describe('lease decisions', () => {
  it('is free when absent, broken or run out, and held until its last millisecond', () => {
    expect(isLeaseFree(null, at(0))).toBe(true);
    expect(isLeaseFree({ holder: 'a' }, at(0))).toBe(true);
    expect(isLeaseFree({ holder: 'a', until: 'not a time' }, at(0))).toBe(true);
    expect(isLeaseFree({ holder: 'a', until: at(1000) }, at(999))).toBe(false);
    expect(isLeaseFree({ holder: 'a', until: at(1000).toISOString() }, at(1000))).toBe(true);
  });

  it('lets a claimant take a free lease or renew its own, never take a held one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 60_000 }),
        (nowMs, heldFor, duration) => {
          const now = at(nowMs);
          const held = { holder: 'first', until: at(nowMs + heldFor) };
          expect(decideLease(held, 'second', now, duration)).toBeNull();
          expect(decideLease(held, 'first', now, duration)).toEqual({ holder: 'first', until: at(nowMs + duration) });
          // Ran out at or before now (heldFor ≥ 1): anyone may take it.
          const expired = { holder: 'first', until: at(nowMs - heldFor + 1) };
          expect(isLeaseFree(expired, now)).toBe(true);
          expect(decideLease(expired, 'second', now, duration)?.holder).toBe('second');
        },
      ),
    );
  });

  it('refuses a lease without a positive duration', () => {
    expect(() => leaseUntil(at(0), 0)).toThrow(RangeError);
    expect(() => leaseUntil(at(0), Number.NaN)).toThrow(RangeError);
  });
});
