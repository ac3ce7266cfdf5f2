import { describe, expect, it } from 'vitest';
import { clockOffsetMs, formatCountdown, remainingMs } from './order-clock';

describe('order clock', () => {
  it('counts down on the server’s clock whatever the phone’s says', () => {
    // The phone is 5 minutes fast.
    const phoneNow = Date.parse('2026-12-03T04:05:00.000Z');
    const offset = clockOffsetMs('2026-12-03T04:00:00.000Z', phoneNow);
    expect(remainingMs('2026-12-03T04:10:00.000Z', offset, phoneNow)).toBe(10 * 60_000);
    expect(remainingMs('2026-12-03T04:10:00.000Z', offset, phoneNow + 9 * 60_000)).toBe(60_000);
    expect(remainingMs('2026-12-03T04:10:00.000Z', offset, phoneNow + 11 * 60_000)).toBe(0);
  });

  it('formats mm:ss, rounding up', () => {
    expect(formatCountdown(15 * 60_000)).toBe('15:00');
    expect(formatCountdown(61_001)).toBe('01:02');
    expect(formatCountdown(999)).toBe('00:01');
    expect(formatCountdown(0)).toBe('00:00');
    expect(formatCountdown(-5)).toBe('00:00');
    expect(formatCountdown(3_600_000 + 5_000)).toBe('1:00:05');
  });
});
