/**
 * 砍价 with fixed steps: a SKU at the bargain's price, a floor, and N friends. Every friend's cut is
 * the same fixed amount, floor((price − floor) ÷ N) fen, the remainder on the last cut, so the whole
 * schedule is known (and shown) before anyone shares; nothing here is random. Pure; the server
 * applies it (server/fission/bargain/).
 */

export const MIN_FRIENDS = 1;
export const MAX_FRIENDS = 50;
export const MIN_TASK_HOURS = 1;
export const MAX_TASK_HOURS = 7 * 24;
export const MAX_BARGAIN_STOCK = 1_000_000;
export const MAX_BARGAIN_LIMIT = 20;

/** What fixes a bargain's cuts: the price it starts at, the floor it ends at and the friends it takes (fen, fen, count). */
export interface BargainPlan {
  price: number;
  floor: number;
  friends: number;
}

/** The plan of a bargain or a task document (both carry it under these names). */
export function planOf(doc: BargainPlan): BargainPlan {
  return { price: doc.price, floor: doc.floor, friends: doc.friends };
}

/**
 * Why a plan cannot be a bargain, in English for the operator (empty: it can). The floor is at
 * least 1 fen (an order of ¥0 cannot be paid) and below the price by at least one fen per friend,
 * so every cut is at least 1 fen.
 */
export function planProblems(plan: BargainPlan): string[] {
  const problems: string[] = [];
  if (!Number.isSafeInteger(plan.price) || plan.price < 1) problems.push(`price must be a whole number of fen ≥ 1, not ${plan.price}`);
  if (!Number.isSafeInteger(plan.floor) || plan.floor < 1) problems.push(`floorPrice must be a whole number of fen ≥ 1, not ${plan.floor}`);
  if (!Number.isSafeInteger(plan.friends) || plan.friends < MIN_FRIENDS || plan.friends > MAX_FRIENDS)
    problems.push(`friends must be a whole number from ${MIN_FRIENDS} to ${MAX_FRIENDS}, not ${plan.friends}`);
  if (problems.length > 0) return problems;
  if (plan.floor >= plan.price) problems.push(`floorPrice ${plan.floor} fen must be below the price ${plan.price} fen`);
  else if (plan.price - plan.floor < plan.friends)
    problems.push(
      `price − floorPrice is ${plan.price - plan.floor} fen, fewer than the ${plan.friends} friends: each cut must be at least 1 fen`,
    );
  return problems;
}

/** The cuts in order: N − 1 equal cuts of floor((price − floor) ÷ N) and the last with the remainder. Throws on a bad plan. */
export function cutSchedule(plan: BargainPlan): number[] {
  const problems = planProblems(plan);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const total = plan.price - plan.floor;
  const step = Math.floor(total / plan.friends);
  const cuts = Array.from({ length: plan.friends }, () => step);
  cuts[plan.friends - 1] = total - step * (plan.friends - 1);
  return cuts;
}

/** The amount of cut `index` (0-based): fixed by the plan alone, whoever makes it and whenever. */
export function cutAt(plan: BargainPlan, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= plan.friends)
    throw new RangeError(`cut ${index} is outside 0..${plan.friends - 1}`);
  const total = plan.price - plan.floor;
  const step = Math.floor(total / plan.friends);
  return index === plan.friends - 1 ? total - step * (plan.friends - 1) : step;
}

/** The price after `cuts` cuts (0..N): price − the first `cuts` cuts; the floor at N, never below. */
export function priceAfter(plan: BargainPlan, cuts: number): number {
  const made = Math.max(0, Math.min(cuts, plan.friends));
  if (made === plan.friends) return plan.floor;
  return plan.price - made * Math.floor((plan.price - plan.floor) / plan.friends);
}

/** When a task started at `startedAt` stops taking cuts and purchases: `taskHours` later, never after the bargain ends. */
export function taskExpiry(startedAt: Date, taskHours: number, bargainEndAt: Date): Date {
  return new Date(Math.min(startedAt.getTime() + taskHours * 3600_000, new Date(bargainEndAt).getTime()));
}

/**
 * A task as the member sees it: `open` (friends may cut, the member may buy), `complete` (at the
 * floor, the member may buy), `bought` (a paid order closed it), `expired` (its time ran out unbought).
 */
export const TASK_STATES = ['open', 'complete', 'bought', 'expired'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface TaskFacts {
  friends: number;
  cuts: number;
  expiresAt: Date;
  /** A paid order (paid, shipped, completed, refunding or refunded) bought at the task's price. */
  bought: boolean;
}

export function taskState(task: TaskFacts, now: Date): TaskState {
  if (task.bought) return 'bought';
  if (now.getTime() >= new Date(task.expiresAt).getTime()) return 'expired';
  return task.cuts >= task.friends ? 'complete' : 'open';
}

/** Why a friend's cut is refused, checked in this order; null: the cut may be tried (the database decides the race). */
export type CutRefusal = 'own_task' | 'already_cut' | 'bought' | 'expired' | 'complete';

export function cutRefusal(
  task: TaskFacts & { ownerId: string; cutterIds: readonly string[] },
  friendId: string,
  now: Date,
): CutRefusal | null {
  if (task.ownerId === friendId) return 'own_task';
  if (task.cutterIds.includes(friendId)) return 'already_cut';
  const state = taskState(task, now);
  return state === 'open' ? null : state;
}

export const CUT_REFUSAL_MESSAGES: Record<CutRefusal, string> = {
  own_task: '不能给自己砍价哦',
  already_cut: '你已经帮TA砍过了',
  bought: 'TA已按砍后价购买',
  expired: '这次砍价已结束',
  complete: 'TA已砍到底价',
};

/** Order states that mean the task's price was paid: the task is closed for cuts and purchases. */
export const PAID_ORDER_STATES = ['paid', 'shipped', 'completed', 'refunding', 'refunded'] as const;

export function isPaidOrderState(state: string): boolean {
  return (PAID_ORDER_STATES as readonly string[]).includes(state);
}

/** ¥59.00: money in yuan with both fen digits, as the bargain page prints it. */
export function fenText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * The whole rule in one line, before anyone is asked: 5 位好友帮砍，每人砍 ¥3.00，最后一位砍 ¥3.04，最低 ¥59.00.
 * A plan whose cuts are all equal says so without a last one.
 */
export function ruleLine(plan: BargainPlan): string {
  const first = cutAt(plan, 0);
  const last = cutAt(plan, plan.friends - 1);
  const each = plan.friends === 1 ? `1 位好友帮砍 ${fenText(last)}` : `${plan.friends} 位好友帮砍，每人砍 ${fenText(first)}`;
  const tail = plan.friends > 1 && last !== first ? `，最后一位砍 ${fenText(last)}` : '';
  return `${each}${tail}，最低 ${fenText(plan.floor)}`;
}
