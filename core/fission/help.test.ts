import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type HelpCampaign,
  type HelpTask,
  helpIdOf,
  helpRefusal,
  initialOf,
  judgeTask,
  largestBurst,
  ruleLine,
  seatsOf,
  takeHelpSeat,
  taskExpiry,
} from './help';

const T0 = new Date('2026-12-05T02:00:00.000Z');
const HOUR = 60 * 60 * 1000;

function campaign(overrides: Partial<HelpCampaign> = {}): HelpCampaign {
  return {
    _id: 'hc1',
    title: '新朋友助力',
    reward: { kind: 'coupon', templateId: 'tpl' },
    rewardText: '¥10 无门槛券',
    helpersNeeded: 3,
    startAt: new Date(T0.getTime() - HOUR),
    endAt: new Date(T0.getTime() + 48 * HOUR),
    taskHours: 24,
    audience: 'new_members',
    dailyLimit: 2,
    helperPoints: 0,
    paused: false,
    ...overrides,
  };
}

function task(overrides: Partial<HelpTask> = {}): HelpTask {
  return {
    _id: 'hc1:owner:1',
    campaignId: 'hc1',
    memberId: 'owner',
    state: 'open',
    count: 0,
    helperIds: [],
    seats: [],
    startedAt: T0,
    expiresAt: new Date(T0.getTime() + 24 * HOUR),
    rewardState: 'none',
    ...overrides,
  };
}

const newHelper = { memberId: 'friend', joinedAt: new Date(T0.getTime() + 1000), helpsToday: 0, helpedInCampaign: false };
const later = new Date(T0.getTime() + HOUR);

describe('help rules', () => {
  it('says the rule in one line, with the exact number of friends and the reward', () => {
    expect(ruleLine(campaign())).toBe('邀请 3 位新朋友助力，即得 ¥10 无门槛券');
    expect(ruleLine(campaign({ audience: 'not_helped', helpersNeeded: 5, rewardText: '200 积分' }))).toBe(
      '邀请 5 位好友助力，即得 200 积分',
    );
  });

  it('a task lasts its hours but never outlives the campaign', () => {
    expect(taskExpiry(campaign(), T0)).toEqual(new Date(T0.getTime() + 24 * HOUR));
    expect(taskExpiry(campaign({ endAt: new Date(T0.getTime() + 2 * HOUR) }), T0)).toEqual(new Date(T0.getTime() + 2 * HOUR));
  });

  it('lets a new friend help an open task', () => {
    expect(helpRefusal(campaign(), task(), newHelper, later)).toBeNull();
  });

  it.each([
    ['self', task(), { ...newHelper, memberId: 'owner' }, later],
    ['already_helped', task({ helperIds: ['friend'], count: 1 }), newHelper, later],
    ['task_completed', task({ state: 'completed', count: 3 }), newHelper, later],
    ['task_expired', task(), newHelper, new Date(T0.getTime() + 25 * HOUR)],
    ['task_expired', task({ state: 'expired' }), newHelper, later],
    ['task_full', task({ count: 3, helperIds: ['a', 'b', 'c'] }), newHelper, later],
    ['not_new', task(), { ...newHelper, joinedAt: new Date(T0.getTime() - 1) }, later],
    ['daily_limit', task(), { ...newHelper, helpsToday: 2 }, later],
  ] as const)('refuses %s', (reason, t, helper, now) => {
    expect(helpRefusal(campaign(), t, helper, now)?.reason).toBe(reason);
  });

  it('refuses a second help in a not_helped campaign, and before the campaign or after it', () => {
    const c = campaign({ audience: 'not_helped' });
    const old = { ...newHelper, joinedAt: new Date(0) };
    expect(helpRefusal(c, task(), old, later)).toBeNull();
    expect(helpRefusal(c, task(), { ...old, helpedInCampaign: true }, later)?.reason).toBe('helped_in_campaign');
    expect(helpRefusal(campaign({ startAt: later }), task(), newHelper, T0)?.reason).toBe('not_started');
    expect(helpRefusal(campaign({ paused: true }), task(), newHelper, later)?.reason).toBe('campaign_ended');
  });

  it('dedupes a help per task, or per campaign for not_helped', () => {
    expect(helpIdOf(campaign(), 'task-a', 'f')).not.toBe(helpIdOf(campaign(), 'task-b', 'f'));
    const c = campaign({ audience: 'not_helped' });
    expect(helpIdOf(c, 'task-a', 'f')).toBe(helpIdOf(c, 'task-b', 'f'));
  });

  it('shows the seats: helpers first, then empty ones', () => {
    expect(seatsOf(['a', 'b'], 4)).toEqual(['a', 'b', null, null]);
    expect(initialOf(' 小明')).toBe('小');
    expect(initialOf('')).toBe('友');
  });

  it('a task completes exactly once, at N, whatever the order of helps (duplicates and the owner included)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.constantFrom('owner', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'), { maxLength: 40 }),
        (needed, arrivals) => {
          let state = task();
          let completions = 0;
          for (const helperId of arrivals) {
            const seat = takeHelpSeat(state, helperId, needed);
            if (!seat.taken) continue;
            if (seat.completed) completions += 1;
            state = {
              ...state,
              count: seat.count,
              helperIds: [...state.helperIds, helperId],
              state: seat.completed ? 'completed' : state.state,
            };
          }
          const distinct = new Set(arrivals.filter((id) => id !== 'owner')).size;
          expect(state.count).toBe(Math.min(needed, distinct));
          expect(new Set(state.helperIds).size).toBe(state.helperIds.length);
          expect(state.helperIds).not.toContain('owner');
          expect(completions).toBe(distinct >= needed ? 1 : 0);
          expect(state.state === 'completed').toBe(distinct >= needed);
        },
      ),
    );
  });

  it('finds the largest burst of helps within a window', () => {
    const at = (s: number) => new Date(T0.getTime() + s * 1000);
    expect(largestBurst([at(0), at(600), at(601), at(602), at(1300)], 60_000)).toEqual({ helps: 3, from: at(600), spanMs: 2000 });
    expect(largestBurst([], 60_000).helps).toBe(0);
    const judged = judgeTask(
      [0, 1, 2, 3].map((s, i) => ({ helperId: `h${i}`, at: at(s) })),
      new Set(['h0']),
      { burstWindowMs: 60_000, burstHelps: 3 },
    );
    expect(judged.idleHelpers).toBe(3);
    expect(judged.reasons).toEqual(['3 of 4 helpers have no other activity', '4 helps within 3 s']);
  });
});
