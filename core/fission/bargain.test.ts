import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BargainPlan,
  cutAt,
  cutRefusal,
  cutSchedule,
  fenText,
  MAX_FRIENDS,
  planProblems,
  priceAfter,
  ruleLine,
  taskExpiry,
  taskState,
} from './bargain';

/** Any valid plan: a floor ≥ 1 fen and at least 1 fen per friend between it and the price. */
const planArb: fc.Arbitrary<BargainPlan> = fc
  .record({
    friends: fc.integer({ min: 1, max: MAX_FRIENDS }),
    floor: fc.integer({ min: 1, max: 1_000_000 }),
    extra: fc.integer({ min: 0, max: 1_000_000 }),
  })
  .map(({ friends, floor, extra }) => ({ friends, floor, price: floor + friends + extra }));

describe('cutSchedule', () => {
  it('sums exactly to price − floor, every cut ≥ 1 fen, N − 1 equal cuts and the remainder on the last', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const cuts = cutSchedule(plan);
        expect(cuts).toHaveLength(plan.friends);
        expect(cuts.reduce((a, b) => a + b, 0)).toBe(plan.price - plan.floor);
        for (const cut of cuts) expect(cut).toBeGreaterThanOrEqual(1);
        const step = Math.floor((plan.price - plan.floor) / plan.friends);
        expect(cuts.slice(0, -1).every((cut) => cut === step)).toBe(true);
        expect(cuts[plan.friends - 1]).toBe(step + ((plan.price - plan.floor) % plan.friends));
      }),
    );
  });

  it('fixes cut i up front: cutAt(i) is the schedule’s i-th, from the plan alone', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const cuts = cutSchedule(plan);
        for (const [i, cut] of cuts.entries()) expect(cutAt(plan, i)).toBe(cut);
        expect(() => cutAt(plan, plan.friends)).toThrow(RangeError);
        expect(() => cutAt(plan, -1)).toThrow(RangeError);
      }),
    );
  });

  it('refuses a plan where a cut would be under 1 fen or the floor under 1 fen', () => {
    expect(planProblems({ price: 1000, floor: 996, friends: 5 })).toEqual([
      'price − floorPrice is 4 fen, fewer than the 5 friends: each cut must be at least 1 fen',
    ]);
    expect(planProblems({ price: 1000, floor: 995, friends: 5 })).toEqual([]);
    expect(planProblems({ price: 1000, floor: 1000, friends: 1 })[0]).toMatch(/below the price/);
    expect(planProblems({ price: 1000, floor: 0, friends: 1 })[0]).toMatch(/floorPrice must be/);
    expect(planProblems({ price: 1000, floor: 10, friends: MAX_FRIENDS + 1 })[0]).toMatch(/friends must be/);
    expect(() => cutSchedule({ price: 1000, floor: 996, friends: 5 })).toThrow(RangeError);
  });

  it('example: ¥9.90 to ¥5.90 with 3 friends is 133, 133, 134 fen', () => {
    expect(cutSchedule({ price: 990, floor: 590, friends: 3 })).toEqual([133, 133, 134]);
    expect(ruleLine({ price: 990, floor: 590, friends: 3 })).toBe('3 位好友帮砍，每人砍 ¥1.33，最后一位砍 ¥1.34，最低 ¥5.90');
    expect(ruleLine({ price: 1000, floor: 400, friends: 3 })).toBe('3 位好友帮砍，每人砍 ¥2.00，最低 ¥4.00');
    expect(ruleLine({ price: 1000, floor: 400, friends: 1 })).toBe('1 位好友帮砍 ¥6.00，最低 ¥4.00');
  });
});

describe('priceAfter', () => {
  it('is price − the cuts made so far, never below the floor, exactly the floor at N and after', () => {
    fc.assert(
      fc.property(planArb, fc.integer({ min: 0, max: MAX_FRIENDS + 5 }), (plan, cuts) => {
        const schedule = cutSchedule(plan);
        const made = Math.min(cuts, plan.friends);
        const price = priceAfter(plan, cuts);
        expect(price).toBe(plan.price - schedule.slice(0, made).reduce((a, b) => a + b, 0));
        expect(price).toBeGreaterThanOrEqual(plan.floor);
        if (cuts >= plan.friends) expect(price).toBe(plan.floor);
        else expect(price).toBeGreaterThan(plan.floor);
      }),
    );
  });
});

/** The server's cut as a pure model: a refusal or the next cut by conditional update on the count. */
function applyCut(
  task: { ownerId: string; cutterIds: string[]; cuts: number; friends: number; expiresAt: Date; bought: boolean },
  friend: string,
  now: Date,
) {
  if (cutRefusal(task, friend, now)) return false;
  task.cutterIds.push(friend);
  task.cuts += 1;
  return true;
}

describe('a task under friends’ cuts', () => {
  const NOW = new Date('2026-12-05T02:00:00Z');
  const LATER = new Date('2026-12-06T02:00:00Z');

  it('completes at exactly N cuts at the floor, whatever the order and repeats of friends (and the owner trying)', () => {
    fc.assert(
      fc.property(planArb, fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 0, maxLength: 200 }), (plan, arrivals) => {
        const task = { ownerId: 'f0', cutterIds: [] as string[], cuts: 0, friends: plan.friends, expiresAt: LATER, bought: false };
        let completedAt = -1;
        arrivals.forEach((who, i) => {
          const before = task.cuts;
          if (applyCut(task, `f${who}`, NOW) && task.cuts === plan.friends && before === plan.friends - 1) {
            expect(completedAt).toBe(-1);
            completedAt = i;
          }
        });
        expect(task.cuts).toBeLessThanOrEqual(plan.friends);
        expect(new Set(task.cutterIds).size).toBe(task.cutterIds.length);
        expect(task.cutterIds).not.toContain('f0');
        const distinctOthers = new Set(arrivals.filter((who) => who !== 0)).size;
        expect(task.cuts).toBe(Math.min(plan.friends, distinctOthers));
        expect(taskState(task, NOW)).toBe(task.cuts === plan.friends ? 'complete' : 'open');
        expect(priceAfter(plan, task.cuts)).toBe(task.cuts === plan.friends ? plan.floor : plan.price - task.cuts * cutAt(plan, 0));
      }),
    );
  });

  it('refuses the owner, a second cut, an expired, a complete and a bought task', () => {
    const task = { ownerId: 'o', cutterIds: ['a'], cuts: 1, friends: 2, expiresAt: LATER, bought: false };
    expect(cutRefusal(task, 'o', NOW)).toBe('own_task');
    expect(cutRefusal(task, 'a', NOW)).toBe('already_cut');
    expect(cutRefusal(task, 'b', NOW)).toBeNull();
    expect(cutRefusal(task, 'b', LATER)).toBe('expired');
    expect(cutRefusal({ ...task, cuts: 2 }, 'b', NOW)).toBe('complete');
    expect(cutRefusal({ ...task, bought: true }, 'b', NOW)).toBe('bought');
  });
});

describe('taskExpiry and fenText', () => {
  it('a task lasts taskHours but never past the bargain’s end', () => {
    const start = new Date('2026-12-05T02:00:00Z');
    expect(taskExpiry(start, 24, new Date('2026-12-31T00:00:00Z')).toISOString()).toBe('2026-12-06T02:00:00.000Z');
    expect(taskExpiry(start, 24, new Date('2026-12-05T10:00:00Z')).toISOString()).toBe('2026-12-05T10:00:00.000Z');
  });

  it('prints fen as yuan with both fen digits', () => {
    expect(fenText(5900)).toBe('¥59.00');
    expect(fenText(304)).toBe('¥3.04');
    expect(fenText(5)).toBe('¥0.05');
  });
});
