import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activityPhase,
  groupDeadline,
  holdDeadline,
  MAX_FILL_HOURS,
  MAX_HOLD_MINUTES,
  MIN_FILL_HOURS,
  DEFAULT_HOLD_MINUTES,
  savingOf,
} from './rules';

const T0 = Date.parse('2026-12-03T02:00:00Z');
const HOUR = 3600_000;
const MINUTE = 60_000;
const timeArb = fc.integer({ min: -100 * HOUR, max: 100 * HOUR }).map((offset) => new Date(T0 + offset));

describe('groupDeadline', () => {
  it('is fillHours after the opening, never after the activity ends, and equals one of the two', () => {
    fc.assert(
      fc.property(timeArb, fc.integer({ min: MIN_FILL_HOURS, max: MAX_FILL_HOURS }), timeArb, (openedAt, fillHours, endAt) => {
        const deadline = groupDeadline(openedAt, fillHours, endAt).getTime();
        expect(deadline).toBeLessThanOrEqual(openedAt.getTime() + fillHours * HOUR);
        expect(deadline).toBeLessThanOrEqual(endAt.getTime());
        expect([openedAt.getTime() + fillHours * HOUR, endAt.getTime()]).toContain(deadline);
      }),
    );
  });
});

describe('holdDeadline', () => {
  it('holds a seat at most holdMinutes and never past the group deadline; the full hold when the deadline allows', () => {
    fc.assert(
      fc.property(timeArb, fc.integer({ min: 1, max: MAX_HOLD_MINUTES }), timeArb, (now, holdMinutes, deadline) => {
        const hold = holdDeadline(now, holdMinutes, deadline).getTime();
        expect(hold).toBeLessThanOrEqual(now.getTime() + holdMinutes * MINUTE);
        expect(hold).toBeLessThanOrEqual(deadline.getTime());
        if (deadline.getTime() >= now.getTime() + holdMinutes * MINUTE) expect(hold).toBe(now.getTime() + holdMinutes * MINUTE);
        // A group still running gives its seat some time: the hold ends after now.
        if (deadline.getTime() > now.getTime()) expect(hold).toBeGreaterThan(now.getTime());
      }),
    );
  });

  it('is 10 minutes by default, cut at the deadline', () => {
    expect(holdDeadline(new Date(T0), DEFAULT_HOLD_MINUTES, new Date(T0 + HOUR)).getTime()).toBe(T0 + 10 * MINUTE);
    expect(holdDeadline(new Date(T0), DEFAULT_HOLD_MINUTES, new Date(T0 + MINUTE)).getTime()).toBe(T0 + MINUTE);
  });
});

describe('activityPhase', () => {
  it('is upcoming before the start, ended from the end on, running between', () => {
    fc.assert(
      fc.property(timeArb, timeArb, timeArb, (startAt, endAt, now) => {
        const phase = activityPhase({ startAt, endAt }, now);
        if (now.getTime() < startAt.getTime()) expect(phase).toBe('upcoming');
        else if (now.getTime() >= endAt.getTime()) expect(phase).toBe('ended');
        else expect(phase).toBe('running');
      }),
    );
  });
});

describe('savingOf', () => {
  it('is never negative and is the difference when the group price is lower', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (original, group) => {
        const saving = savingOf(original, group);
        expect(saving).toBeGreaterThanOrEqual(0);
        if (group <= original) expect(saving).toBe(original - group);
      }),
    );
  });
});
