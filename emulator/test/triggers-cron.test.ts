import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRON_UTC_OFFSET_MS, CronError, cronMatches, nextCronTime, parseCron } from '../src/functions/cron';

const at = (iso: string) => Date.parse(iso);
const next = (expression: string, from: string) => {
  const ms = nextCronTime(parseCron(expression), at(from));
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

describe('timer cron (7 fields, UTC+8)', () => {
  it('reads the hour in UTC+8', () => {
    // 03:00 in Shanghai is 19:00 UTC the day before.
    expect(next('0 0 3 * * * *', '2030-01-01T18:00:00.000Z')).toBe('2030-01-01T19:00:00.000Z');
    expect(next('0 0 3 * * * *', '2030-01-01T19:00:00.000Z')).toBe('2030-01-02T19:00:00.000Z');
  });

  it('handles the documented examples', () => {
    expect(next('*/5 * * * * * *', '2030-01-01T00:00:01.500Z')).toBe('2030-01-01T00:00:05.000Z');
    // 1st of the month at 02:00 Shanghai.
    expect(next('0 0 2 1 * * *', '2030-01-05T00:00:00.000Z')).toBe('2030-01-31T18:00:00.000Z');
    // Weekdays at 10:15: 2030-01-05 is a Saturday, so Monday the 7th.
    expect(next('0 15 10 * * MON-FRI *', '2030-01-05T00:00:00.000Z')).toBe('2030-01-07T02:15:00.000Z');
    expect(next('0 0 10,14,16 * * * *', '2030-01-01T03:00:00.000Z')).toBe('2030-01-01T06:00:00.000Z');
    // 09:31 in Shanghai → 10:00 in Shanghai.
    expect(next('0 */30 9-17 * * * *', '2030-01-01T01:31:00.000Z')).toBe('2030-01-01T02:00:00.000Z');
    // `1/10` in minutes: 1, 11, 21, ...
    expect(next('0 1/10 * * * * *', '2030-01-01T00:02:00.000Z')).toBe('2030-01-01T00:11:00.000Z');
    expect(next('0 0 12 * * WED *', '2030-01-01T00:00:00.000Z')).toBe('2030-01-02T04:00:00.000Z');
    expect(next('0 0 0 1 JAN * *', '2030-06-01T00:00:00.000Z')).toBe('2030-12-31T16:00:00.000Z');
  });

  it('treats day and weekday as either-or when both are given', () => {
    const schedule = parseCron('0 0 0 15 * SUN *');
    // 2030-01-06 is a Sunday (not the 15th); 2030-01-15 is a Tuesday.
    expect(cronMatches(schedule, at('2030-01-05T16:00:00.000Z'))).toBe(true);
    expect(cronMatches(schedule, at('2030-01-14T16:00:00.000Z'))).toBe(true);
    expect(cronMatches(schedule, at('2030-01-07T16:00:00.000Z'))).toBe(false);
  });

  it('honours the year field and says when nothing is left', () => {
    expect(next('0 0 0 1 1 * 2031', '2020-01-01T00:00:00.000Z')).toBe('2030-12-31T16:00:00.000Z');
    expect(next('0 0 0 1 1 * 2031', '2031-01-01T00:00:00.000Z')).toBeUndefined();
    expect(next('0 0 0 30 2 * *', '2030-01-01T00:00:00.000Z')).toBeUndefined();
  });

  it.each([
    ['0 0 3 * * *', /7 fields/],
    ['60 * * * * * *', /out of range/],
    ['0 0 24 * * * *', /out of range/],
    ['0 0 0 0 * * *', /out of range/],
    ['0 0 0 * 13 * *', /out of range/],
    ['0 0 0 * * 7 *', /out of range/],
    ['0 0 0 * * * 2100', /out of range/],
    ['0 0 5-1 * * * *', /backwards/],
    ['*/0 * * * * * *', /invalid step/],
    ['0 0 0 ? * * *', /invalid/],
    ['0 0 0 L * * *', /invalid/],
    ['0 0 0 1,,2 * * *', /invalid|empty/],
  ])('rejects %s', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(CronError);
    expect(() => parseCron(expression)).toThrow(message);
  });

  const fieldArb = (min: number, max: number, names: string[] = []) => {
    const value = fc.integer({ min, max });
    const named = names.length ? fc.constantFrom(...names) : value.map(String);
    const single = fc.oneof(value.map(String), named);
    const range = fc.tuple(value, value).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`);
    const step = fc.integer({ min: 1, max: Math.max(1, max - min) });
    const part = fc.oneof(
      { weight: 3, arbitrary: fc.constant('*') },
      { weight: 3, arbitrary: single },
      { weight: 2, arbitrary: range },
      { weight: 2, arbitrary: step.map((s) => `*/${s}`) },
      { weight: 1, arbitrary: fc.tuple(value, step).map(([a, s]) => `${a}/${s}`) },
      { weight: 1, arbitrary: fc.tuple(range, step).map(([r, s]) => `${r}/${s}`) },
    );
    return fc.array(part, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(','));
  };
  const expressionArb = fc
    .tuple(
      fieldArb(0, 59),
      fieldArb(0, 59),
      fieldArb(0, 23),
      fieldArb(1, 31),
      fieldArb(1, 12, ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']),
      fieldArb(0, 6, ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']),
      fc.oneof({ weight: 4, arbitrary: fc.constant('*') }, { weight: 1, arbitrary: fieldArb(2020, 2040) }),
    )
    .map((fields) => fields.join(' '));
  const fromArb = fc.integer({ min: at('2020-01-01T00:00:00Z'), max: at('2035-12-31T00:00:00Z') });

  /**
   * True when some day after the one `from` falls on (in UTC+8), up to the parser's last year,
   * has a fire time. Walks days, and asks `cronMatches` about the day's earliest allowed time:
   * a day fires at all exactly when it fires then. Independent of nextCronTime's search.
   */
  const firesOnALaterDay = (schedule: ReturnType<typeof parseCron>, from: number): boolean => {
    const first = (allowed: boolean[]) => allowed.indexOf(true);
    const [hour, minute, second] = [first(schedule.hours), first(schedule.minutes), first(schedule.seconds)];
    const local = new Date(from + CRON_UTC_OFFSET_MS);
    for (let day = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1); ; day += 86_400_000) {
      if (new Date(day).getUTCFullYear() > 2099) return false;
      if (cronMatches(schedule, day + ((hour * 60 + minute) * 60 + second) * 1000 - CRON_UTC_OFFSET_MS)) return true;
    }
  };

  it('finds a next fire time after "from" that matches the expression, and none earlier; or says there is none', () => {
    // The oracle itself, on cases known both ways.
    expect(firesOnALaterDay(parseCron('0 0 0 1 1 * 2031'), at('2020-01-01T00:00:00Z'))).toBe(true);
    expect(firesOnALaterDay(parseCron('0 0 0 1 1 * 2031'), at('2031-01-01T00:00:00Z'))).toBe(false);
    expect(firesOnALaterDay(parseCron('0 0 0 30 2 * *'), at('2030-01-01T00:00:00Z'))).toBe(false);
    expect(firesOnALaterDay(parseCron('59 59 23 29 2 * *'), at('2030-01-01T00:00:00Z'))).toBe(true);
    let found = 0;
    let none = 0;
    fc.assert(
      fc.property(expressionArb, fromArb, (expression, from) => {
        const schedule = parseCron(expression);
        const fire = nextCronTime(schedule, from);
        if (fire === undefined) {
          none += 1;
          // "Never again" must be true: no later day fires (only past years, or 30 February, ...).
          expect(firesOnALaterDay(schedule, from), expression).toBe(false);
          return;
        }
        found += 1;
        expect(fire).toBeGreaterThan(from);
        expect(fire % 1000).toBe(0);
        expect(cronMatches(schedule, fire)).toBe(true);
        // Minimality, checked second by second when the gap is short enough to walk.
        if (fire - from <= 3_600_000) {
          for (let t = Math.floor(from / 1000) * 1000 + 1000; t < fire; t += 1000) {
            if (cronMatches(schedule, t))
              throw new Error(`${expression}: ${new Date(t).toISOString()} matches before ${new Date(fire).toISOString()}`);
          }
        }
      }),
      { numRuns: 300 },
    );
    // Both answers were exercised, so neither branch passed for want of cases.
    expect(found).toBeGreaterThan(150);
    expect(found + none).toBeGreaterThanOrEqual(300);
  });

  it('always fires again when day, month and year are unrestricted', () => {
    fc.assert(
      fc.property(fieldArb(0, 59), fieldArb(0, 59), fieldArb(0, 23), fromArb, (s, m, h, from) => {
        const fire = nextCronTime(parseCron(`${s} ${m} ${h} * * * *`), from);
        expect(fire).toBeDefined();
        expect(fire! - from).toBeLessThanOrEqual(86_400_000 + 1000);
      }),
    );
  });
});
