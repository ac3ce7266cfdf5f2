import type { CouponTemplate } from './template';

/** When a claimed coupon may be used: from `startsAt` through `endsAt`, both inclusive. */
export interface CouponValidity {
  startsAt: Date;
  endsAt: Date;
}

/*
 * Days are counted on the Asia/Shanghai calendar with plain arithmetic on a fixed +08:00 offset,
 * not dayjs's timezone plugin: China has had no daylight saving since 1991, so the offset is a
 * constant, and core/ then needs neither a dependency nor the Intl time zone data that some
 * WeChat runtimes lack. The tests check this arithmetic against dayjs.tz as an oracle.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The last millisecond (23:59:59.999 Asia/Shanghai) of the day `daysLater` days after the
 * Shanghai day `at` falls on. `daysLater` 0 is the end of that same day.
 */
export function endOfShanghaiDay(at: Date, daysLater: number): Date {
  if (Number.isNaN(at.getTime())) throw new RangeError('endOfShanghaiDay needs a valid date');
  if (!Number.isInteger(daysLater) || daysLater < 0) throw new RangeError(`daysLater is a whole number ≥ 0, got ${daysLater}`);
  const localDayStart = Math.floor((at.getTime() + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS;
  return new Date(localDayStart + (daysLater + 1) * DAY_MS - 1 - SHANGHAI_OFFSET_MS);
}

/**
 * The validity of a coupon claimed at `claimedAt`.
 *
 * "Valid N days after claim": the claim day is day 0 and does not count, so the coupon lasts
 * through the end of the Nth Shanghai day after it. Claimed 2030-01-01 10:00 (+08:00) with N = 7,
 * it ends 2030-01-08 23:59:59.999 (+08:00). This way a member always gets N full days besides
 * whatever is left of the claim day, and every coupon expires at midnight, which is what the
 * member reads on it ("有效期至 1月8日").
 */
export function couponValidity(template: Pick<CouponTemplate, 'validity'>, claimedAt: Date): CouponValidity {
  if (Number.isNaN(claimedAt.getTime())) throw new RangeError('couponValidity needs a valid claim time');
  const rule = template.validity;
  if (rule.type === 'fixed') return { startsAt: new Date(rule.startsAt), endsAt: new Date(rule.endsAt) };
  return { startsAt: new Date(claimedAt.getTime()), endsAt: endOfShanghaiDay(claimedAt, rule.days) };
}

/** Whether a coupon with this validity may be used at `now`. */
export function isWithinValidity(validity: CouponValidity, now: Date): boolean {
  const t = now.getTime();
  return new Date(validity.startsAt).getTime() <= t && t <= new Date(validity.endsAt).getTime();
}
