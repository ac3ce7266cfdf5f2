import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CheckInState, checkInCalendar, currentStreak, decideCheckIn, laterCheckIn } from './check-in';
import { addDays, DEFAULT_POINTS_RULES, type PointsRules, STREAK_DAYS } from './rules';

const rules: PointsRules = { ...DEFAULT_POINTS_RULES, checkIn: { points: 5, streakBonus: 20 } };
const TODAY = '2026-12-03';

/** Checks in on each day given (in order), as the server does: the state each decision makes is the next one's. */
function checkInOn(days: string[]) {
  let state: CheckInState | null = null;
  return days.map((day) => {
    const decision = decideCheckIn(state, day, rules);
    if (!decision.done) state = decision.state;
    return decision;
  });
}

describe('decideCheckIn', () => {
  it('starts a streak of 1 with the day’s points, and says done for a second check-in that day', () => {
    expect(decideCheckIn(null, TODAY, rules)).toEqual({ done: false, state: { day: TODAY, streak: 1 }, award: 5, bonus: false });
    expect(decideCheckIn({ day: TODAY, streak: 4 }, TODAY, rules)).toEqual({ done: true });
  });

  it('gives the bonus on the 7th day in a row, then starts the cycle over (the 14th gets it again)', () => {
    const days = Array.from({ length: 15 }, (_, i) => addDays(TODAY, i));
    const decisions = checkInOn(days);
    expect(decisions.map((d) => (d.done ? 0 : d.award))).toEqual([5, 5, 5, 5, 5, 5, 25, 5, 5, 5, 5, 5, 5, 25, 5]);
    expect(decisions.map((d) => (d.done ? 0 : d.state.streak))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(decisions.filter((d) => !d.done && d.bonus)).toHaveLength(2);
  });

  it('starts over at 1 after a missed day, so day 7 of the calendar is no longer a bonus', () => {
    const decisions = checkInOn(['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06', '2026-12-08']);
    expect(decisions.at(-1)).toEqual({ done: false, state: { day: '2026-12-08', streak: 1 }, award: 5, bonus: false });
  });

  it('counts days in a row across a month and a year end', () => {
    expect(decideCheckIn({ day: '2026-12-31', streak: 6 }, '2027-01-01', rules)).toEqual({
      done: false,
      state: { day: '2027-01-01', streak: 7 },
      award: 25,
      bonus: true,
    });
    expect(decideCheckIn({ day: '2027-02-28', streak: 2 }, '2027-03-01', rules)).toMatchObject({ state: { streak: 3 } });
  });

  it('for any days checked in, the streak is the run of consecutive days, with the bonus on every 7th', () => {
    const gaps = fc.array(fc.oneof(fc.constant(1), fc.constant(1), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(gaps, (steps) => {
        const days: string[] = [];
        let day = TODAY;
        for (const step of steps) {
          day = addDays(day, step);
          days.push(day);
        }
        let run = 0;
        let last: string | null = null;
        checkInOn(days).forEach((decision, i) => {
          if (days[i] === last) {
            expect(decision).toEqual({ done: true });
            return;
          }
          run = last !== null && addDays(last, 1) === days[i] ? run + 1 : 1;
          last = days[i];
          const bonus = run % STREAK_DAYS === 0;
          expect(decision).toEqual({ done: false, state: { day: days[i], streak: run }, award: bonus ? 25 : 5, bonus });
        });
      }),
    );
  });
});

describe('currentStreak', () => {
  it('is alive when the last check-in was today or yesterday, 0 otherwise', () => {
    expect(currentStreak(null, TODAY)).toBe(0);
    expect(currentStreak({ day: TODAY, streak: 3 }, TODAY)).toBe(3);
    expect(currentStreak({ day: '2026-12-02', streak: 3 }, TODAY)).toBe(3);
    expect(currentStreak({ day: '2026-12-01', streak: 3 }, TODAY)).toBe(0);
  });
});

describe('checkInCalendar', () => {
  const view = (state: CheckInState | null) =>
    checkInCalendar(state, TODAY, rules).map((d) => `${d.day} ${d.label}${d.done ? ' ✓' : ''}${d.today ? ' *' : ''} +${d.points}`);

  it('with no check-in yet: today first, tomorrow next, the bonus on the 7th day', () => {
    expect(view(null)).toEqual([
      '2026-12-03 今天 * +5',
      '2026-12-04 明天 +5',
      '2026-12-05 12/5 +5',
      '2026-12-06 12/6 +5',
      '2026-12-07 12/7 +5',
      '2026-12-08 12/8 +5',
      '2026-12-09 12/9 +25',
    ]);
    expect(checkInCalendar(null, TODAY, rules).map((d) => d.bonus)).toEqual([false, false, false, false, false, false, true]);
  });

  it('done today on the 3rd day in a row: two days done before, today done, tomorrow next', () => {
    expect(view({ day: TODAY, streak: 3 })).toEqual([
      '2026-12-01 12/1 ✓ +5',
      '2026-12-02 12/2 ✓ +5',
      '2026-12-03 今天 ✓ * +5',
      '2026-12-04 明天 +5',
      '2026-12-05 12/5 +5',
      '2026-12-06 12/6 +5',
      '2026-12-07 12/7 +25',
    ]);
  });

  it('not yet today after 3 days in a row: today is the 4th cell, not done', () => {
    expect(view({ day: '2026-12-02', streak: 3 })).toEqual([
      '2026-11-30 11/30 ✓ +5',
      '2026-12-01 12/1 ✓ +5',
      '2026-12-02 12/2 ✓ +5',
      '2026-12-03 今天 * +5',
      '2026-12-04 明天 +5',
      '2026-12-05 12/5 +5',
      '2026-12-06 12/6 +25',
    ]);
  });

  it('today is the bonus day after 6 in a row; a finished cycle starts a new one today', () => {
    expect(view({ day: '2026-12-02', streak: 6 }).at(-1)).toBe('2026-12-03 今天 * +25');
    expect(view({ day: TODAY, streak: 7 }).at(-1)).toBe('2026-12-03 今天 ✓ * +25');
    expect(view({ day: '2026-12-02', streak: 7 })[0]).toBe('2026-12-03 今天 * +5');
    expect(view({ day: '2026-12-02', streak: 14 })[0]).toBe('2026-12-03 今天 * +5');
  });

  it('a streak broken by a missed day starts the calendar today with nothing done', () => {
    expect(view({ day: '2026-12-01', streak: 5 })).toEqual(view(null));
  });

  it('labels the days after a year end by month and day', () => {
    expect(checkInCalendar(null, '2026-12-30', rules).map((d) => d.label)).toEqual(['今天', '明天', '1/1', '1/2', '1/3', '1/4', '1/5']);
  });

  it('for any state: 7 days in a row, one today, the bonus last, and today’s cell gives what checking in gives', () => {
    const state = fc.option(
      fc.record({ back: fc.integer({ min: 0, max: 4 }), streak: fc.integer({ min: 1, max: 60 }) }).map(({ back, streak }) => ({
        day: addDays(TODAY, -back),
        streak,
      })),
      { nil: null },
    );
    fc.assert(
      fc.property(state, (s) => {
        const days = checkInCalendar(s, TODAY, rules);
        expect(days).toHaveLength(STREAK_DAYS);
        days.forEach((d, i) => {
          if (i > 0) expect(d.day).toBe(addDays(days[i - 1].day, 1));
        });
        expect(days.filter((d) => d.today).map((d) => d.day)).toEqual([TODAY]);
        expect(days.map((d) => d.bonus)).toEqual([false, false, false, false, false, false, true]);
        const today = days.findIndex((d) => d.today);
        // Days before today are done; days after are not; today is done exactly when checked in today.
        days.forEach((d, i) => {
          expect(d.done).toBe(i < today || (i === today && s?.day === TODAY));
        });
        expect(today).toBe(Math.max(currentStreak(s, TODAY) - (s?.day === TODAY ? 1 : 0), 0) % STREAK_DAYS);
        const decision = decideCheckIn(s, TODAY, rules);
        if (!decision.done) {
          expect(days[today].points).toBe(decision.award);
          expect(days[today].bonus).toBe(decision.bonus);
        }
      }),
    );
  });
});

describe('laterCheckIn', () => {
  it('keeps the later day, on the same day the longer streak, and `into` itself when it says as much', () => {
    const into = { day: '2026-12-04', streak: 2 };
    expect(laterCheckIn(into, { day: '2026-12-05', streak: 1 })).toEqual({ day: '2026-12-05', streak: 1 });
    expect(laterCheckIn(into, { day: '2026-12-03', streak: 9 })).toBe(into);
    expect(laterCheckIn(into, { day: '2026-12-04', streak: 3 })).toEqual({ day: '2026-12-04', streak: 3 });
    expect(laterCheckIn(into, { day: '2026-12-04', streak: 2 })).toBe(into);
    expect(laterCheckIn(into, null)).toBe(into);
    expect(laterCheckIn(null, into)).toBe(into);
  });

  it('after a merge that carried it, a check-in the same day is done, and the next day goes on with the streak', () => {
    const carried = laterCheckIn(null, { day: TODAY, streak: 3 });
    expect(decideCheckIn(carried, TODAY, rules)).toEqual({ done: true });
    expect(decideCheckIn(carried, addDays(TODAY, 1), rules)).toMatchObject({ state: { streak: 4 } });
  });
});
