import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideAfterFailure, PUSH_MAX_ATTEMPTS } from './push-retry';

const now = new Date('2030-01-01T00:00:00Z');

describe('decideAfterFailure', () => {
  it('retries after 30 s, then doubling, at most 30 minutes apart', () => {
    const pauses = [1, 2, 3, 4, 5].map((attempts) => {
      const decision = decideAfterFailure(attempts, now);
      return decision.state === 'failed' ? decision.nextAttemptAt.getTime() - now.getTime() : null;
    });
    expect(pauses).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
  });

  it('gives up (dead letter) at the last attempt and never before', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (attempts) => {
        const decision = decideAfterFailure(attempts, now);
        expect(decision.state).toBe(attempts >= PUSH_MAX_ATTEMPTS ? 'dead' : 'failed');
        if (decision.state === 'failed') {
          const pause = decision.nextAttemptAt.getTime() - now.getTime();
          expect(pause).toBeGreaterThanOrEqual(30_000);
          expect(pause).toBeLessThanOrEqual(30 * 60_000);
        }
      }),
    );
    expect(decideAfterFailure(Number.NaN, now).state).toBe('dead');
  });
});
