import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { couponValidity, endOfShanghaiDay, isWithinValidity } from './validity';

dayjs.extend(utc);
dayjs.extend(timezone);

const t = (iso: string) => new Date(iso);
const afterClaim = (days: number) => ({ validity: { type: 'days_after_claim' as const, days } });

describe('couponValidity', () => {
  it('keeps a fixed window as it is', () => {
    const validity = { type: 'fixed' as const, startsAt: t('2030-01-01T00:00:00+08:00'), endsAt: t('2030-01-31T23:59:59.999+08:00') };
    expect(couponValidity({ validity }, t('2030-01-20T12:00:00Z'))).toEqual({ startsAt: validity.startsAt, endsAt: validity.endsAt });
  });

  it('does not count the claim day: 7 days from Jan 1 ends at the end of Jan 8, Shanghai time', () => {
    const claimedAt = t('2030-01-01T10:00:00+08:00');
    expect(couponValidity(afterClaim(7), claimedAt)).toEqual({ startsAt: claimedAt, endsAt: t('2030-01-08T23:59:59.999+08:00') });
    expect(couponValidity(afterClaim(1), claimedAt).endsAt).toEqual(t('2030-01-02T23:59:59.999+08:00'));
  });

  it('counts from the Shanghai day, not the UTC one', () => {
    // 16:30 UTC on Dec 31 is already 00:30 on Jan 1 in Shanghai.
    expect(couponValidity(afterClaim(7), t('2029-12-31T16:30:00Z')).endsAt).toEqual(t('2030-01-08T23:59:59.999+08:00'));
    // One millisecond before Shanghai midnight is still Dec 31 there.
    expect(couponValidity(afterClaim(7), t('2029-12-31T15:59:59.999Z')).endsAt).toEqual(t('2030-01-07T23:59:59.999+08:00'));
    expect(couponValidity(afterClaim(7), t('2029-12-31T16:00:00Z')).endsAt).toEqual(t('2030-01-08T23:59:59.999+08:00'));
  });

  it('crosses months, leap days and years', () => {
    expect(couponValidity(afterClaim(1), t('2028-02-28T20:00:00+08:00')).endsAt).toEqual(t('2028-02-29T23:59:59.999+08:00'));
    expect(couponValidity(afterClaim(365), t('2030-12-31T23:00:00+08:00')).endsAt).toEqual(t('2031-12-31T23:59:59.999+08:00'));
  });

  it('refuses an unreadable claim time', () => {
    expect(() => couponValidity(afterClaim(7), new Date('nope'))).toThrow(RangeError);
    expect(() => endOfShanghaiDay(t('2030-01-01T00:00:00Z'), -1)).toThrow(RangeError);
  });

  it('agrees with dayjs in Asia/Shanghai and always ends at 23:59:59.999 there', () => {
    fc.assert(
      fc.property(
        fc.date({ min: t('2000-01-01T00:00:00Z'), max: t('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 365 }),
        (claimedAt, days) => {
          const { startsAt, endsAt } = couponValidity(afterClaim(days), claimedAt);
          const expected = dayjs(claimedAt)
            .tz('Asia/Shanghai')
            .startOf('day')
            .add(days + 1, 'day')
            .subtract(1, 'millisecond');
          expect(endsAt.getTime()).toBe(expected.valueOf());
          expect(startsAt).toEqual(claimedAt);
          expect(endsAt.toISOString().slice(11)).toBe('15:59:59.999Z');
          // N full days besides what is left of the claim day.
          expect(endsAt.getTime() - claimedAt.getTime()).toBeGreaterThanOrEqual(days * 86_400_000);
          expect(endsAt.getTime() - claimedAt.getTime()).toBeLessThan((days + 1) * 86_400_000);
        },
      ),
    );
  });
});

describe('isWithinValidity', () => {
  it('includes both ends', () => {
    const validity = { startsAt: t('2030-01-01T10:00:00Z'), endsAt: t('2030-01-08T15:59:59.999Z') };
    expect(isWithinValidity(validity, t('2030-01-01T09:59:59.999Z'))).toBe(false);
    expect(isWithinValidity(validity, t('2030-01-01T10:00:00Z'))).toBe(true);
    expect(isWithinValidity(validity, t('2030-01-08T15:59:59.999Z'))).toBe(true);
    expect(isWithinValidity(validity, t('2030-01-08T16:00:00Z'))).toBe(false);
  });
});
