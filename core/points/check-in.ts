import { addDays, type PointsRules, STREAK_DAYS } from './rules';

/** A cell of the check-in calendar (the contract's `CalendarDay`). */
export interface CalendarDay {
  day: string;
  label: string;
  points: number;
  done: boolean;
  today: boolean;
  bonus: boolean;
}

/** The member's last check-in, kept on the member document beside the balance. */
export interface CheckInState {
  /** Asia/Shanghai day of the last check-in. */
  day: string;
  /** Consecutive days ending on `day`. */
  streak: number;
}

export type CheckInDecision = { done: true } | { done: false; state: CheckInState; award: number; bonus: boolean };

/** Position in the 7-day cycle (1..7) of the `streak`-th day in a row. */
function cycleDay(streak: number): number {
  return ((streak - 1) % STREAK_DAYS) + 1;
}

/** Today's check-in: nothing when done already; else the streak it makes and the points it gives. */
export function decideCheckIn(state: CheckInState | null | undefined, today: string, rules: PointsRules): CheckInDecision {
  if (state?.day === today) return { done: true };
  const streak = state && state.day === addDays(today, -1) ? state.streak + 1 : 1;
  const bonus = cycleDay(streak) === STREAK_DAYS;
  return { done: false, state: { day: today, streak }, award: rules.checkIn.points + (bonus ? rules.checkIn.streakBonus : 0), bonus };
}

/**
 * Of the check-in states of two members who are one person (a merge), the one that says more: the
 * later day, and on the same day the longer streak. Answers `into` itself when it says as much, so a
 * merge writes it only when it changes.
 */
export function laterCheckIn(
  into: CheckInState | null | undefined,
  from: CheckInState | null | undefined,
): CheckInState | null | undefined {
  if (!from) return into;
  if (!into) return from;
  if (from.day !== into.day) return from.day > into.day ? from : into;
  return from.streak > into.streak ? from : into;
}

/** The streak as of today: still alive when the last check-in was today or yesterday. */
export function currentStreak(state: CheckInState | null | undefined, today: string): number {
  if (!state) return 0;
  return state.day === today || state.day === addDays(today, -1) ? state.streak : 0;
}

/**
 * The 7 days of the current cycle: days already checked in, today, and the days ahead, each with
 * the points it gives (the bonus on the 7th).
 */
export function checkInCalendar(state: CheckInState | null | undefined, today: string, rules: PointsRules): CalendarDay[] {
  const doneToday = state?.day === today;
  const streak = currentStreak(state, today);
  // Today's place in the cycle: where today's check-in falls (or fell).
  const position = doneToday ? cycleDay(streak) : cycleDay(streak + 1);
  const start = addDays(today, -(position - 1));
  const days: CalendarDay[] = [];
  for (let i = 0; i < STREAK_DAYS; i += 1) {
    const day = addDays(start, i);
    const bonus = i === STREAK_DAYS - 1;
    const offset = i - (position - 1);
    days.push({
      day,
      label: offset === 0 ? '今天' : offset === 1 ? '明天' : `${Number(day.slice(5, 7))}/${Number(day.slice(8, 10))}`,
      points: rules.checkIn.points + (bonus ? rules.checkIn.streakBonus : 0),
      done: offset < 0 || (offset === 0 && doneToday),
      today: offset === 0,
      bonus,
    });
  }
  return days;
}
