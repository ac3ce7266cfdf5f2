/**
 * The points lottery's rules: a prize table with published odds (parts per 10,000, summing
 * exactly), stock per prize and a fallback per prize (what a drawn prize out of stock becomes,
 * ending at the one "thanks"); the state of a lottery for a member; the pick from a roll. Pure: the
 * server draws the roll with `crypto.randomInt` and applies these rules.
 */
export const PRIZE_KINDS = ['coupon', 'points', 'product', 'thanks'] as const;
export type PrizeKind = (typeof PRIZE_KINDS)[number];

/** Odds are published as parts of this: 250 is 2.50%. */
export const ODDS_TOTAL = 10_000;
export const MAX_PRIZES = 12;
export const MAX_PRIZE_STOCK = 1_000_000;
export const MAX_PRIZE_POINTS = 100_000;
export const MAX_DRAW_PRICE = 100_000;
export const MAX_DAILY_DRAWS = 100;
export const MAX_TOTAL_DAILY = 1_000_000;

export interface Prize {
  /** Short key within the lottery: `p1`, `top`, `thanks`. */
  id: string;
  kind: PrizeKind;
  title: string;
  /** Parts per 10,000. */
  odds: number;
  /** Units that may be won in all; absent for thanks (never runs out). */
  stock?: number;
  /** The prize this one becomes when out of stock (another prize's id); absent: thanks. Never on thanks. */
  fallback?: string;
  /** coupon: the template issued. */
  templateId?: string;
  /** points: how many the prize gives. */
  points?: number;
  /** product: the SKU delivered (through the orders path, at no cash, to the address the winner gives). */
  skuId?: string;
}

export interface LotteryRules {
  /** Points one draw costs. */
  price: number;
  /** Draws per member per Shanghai day. */
  perMemberDaily: number;
  /** Draws per Shanghai day for everyone together, or null: no such limit. */
  totalDaily: number | null;
  startAt: Date;
  endAt: Date;
  paused: boolean;
}

export interface TableIssue {
  path: Array<string | number>;
  message: string;
}

const PRIZE_ID = /^[A-Za-z0-9_-]{1,16}$/;

/**
 * Every problem of a prize table, with its path, so an operator fixes the table in one go: one
 * thanks, unique ids, odds that are whole parts summing to exactly 10,000, stock and the kind's
 * own field on every other prize, fallbacks that name another prize and end at thanks (no cycle).
 */
export function checkPrizeTable(prizes: readonly Prize[]): TableIssue[] {
  const issues: TableIssue[] = [];
  if (prizes.length < 2 || prizes.length > MAX_PRIZES)
    issues.push({ path: [], message: `a table has 2 to ${MAX_PRIZES} prizes (one of them thanks), got ${prizes.length}` });
  const ids = new Map<string, number>();
  prizes.forEach((prize, i) => {
    if (!PRIZE_ID.test(prize.id)) issues.push({ path: [i, 'id'], message: 'a prize id is 1-16 of A-Z a-z 0-9 _ -' });
    if (ids.has(prize.id)) issues.push({ path: [i, 'id'], message: `prize id ${prize.id} repeats prize ${ids.get(prize.id)}` });
    else ids.set(prize.id, i);
  });
  const thanks = prizes.filter((prize) => prize.kind === 'thanks');
  if (thanks.length !== 1) issues.push({ path: [], message: `a table has exactly one thanks prize, got ${thanks.length}` });
  let sum = 0;
  prizes.forEach((prize, i) => {
    if (!Number.isSafeInteger(prize.odds) || prize.odds < 0 || prize.odds > ODDS_TOTAL)
      issues.push({ path: [i, 'odds'], message: `odds are whole parts of ${ODDS_TOTAL} (0 to ${ODDS_TOTAL}), got ${prize.odds}` });
    else sum += prize.odds;
    issues.push(...checkPrizeFields(prize, i));
    if (prize.fallback !== undefined && !ids.has(prize.fallback))
      issues.push({ path: [i, 'fallback'], message: `fallback ${prize.fallback} is not a prize of this table` });
    if (prize.fallback === prize.id) issues.push({ path: [i, 'fallback'], message: 'a prize cannot fall back to itself' });
  });
  if (sum !== ODDS_TOTAL && issues.every((issue) => issue.path[1] !== 'odds'))
    issues.push({ path: [], message: `odds must sum to exactly ${ODDS_TOTAL} (100.00%), they sum to ${sum}` });
  if (issues.length === 0) {
    prizes.forEach((prize, i) => {
      if (fallbackChain(prizes, prize.id) === null)
        issues.push({ path: [i, 'fallback'], message: `the fallbacks from ${prize.id} go round in a circle and never reach thanks` });
    });
  }
  return issues;
}

function checkPrizeFields(prize: Prize, i: number): TableIssue[] {
  const issues: TableIssue[] = [];
  const need = (field: keyof Prize, why: string) => {
    if (prize[field] === undefined) issues.push({ path: [i, field], message: `${field} is required on a ${prize.kind} prize (${why})` });
  };
  const refuse = (field: keyof Prize) => {
    if (prize[field] !== undefined) issues.push({ path: [i, field], message: `${field} does not belong on a ${prize.kind} prize` });
  };
  if (prize.kind === 'thanks') {
    refuse('stock');
    refuse('fallback');
  } else {
    need('stock', 'how many may be won');
    if (prize.stock !== undefined && (!Number.isSafeInteger(prize.stock) || prize.stock < 0 || prize.stock > MAX_PRIZE_STOCK))
      issues.push({ path: [i, 'stock'], message: `stock is a whole number from 0 to ${MAX_PRIZE_STOCK}` });
  }
  if (prize.kind === 'coupon') need('templateId', 'the coupon template issued');
  else refuse('templateId');
  if (prize.kind === 'points') {
    need('points', 'how many points it gives');
    if (prize.points !== undefined && (!Number.isSafeInteger(prize.points) || prize.points < 1 || prize.points > MAX_PRIZE_POINTS))
      issues.push({ path: [i, 'points'], message: `points is a whole number from 1 to ${MAX_PRIZE_POINTS}` });
  } else refuse('points');
  if (prize.kind === 'product') need('skuId', 'the SKU delivered');
  else refuse('skuId');
  return issues;
}

/**
 * The prizes a drawn prize may become, in order: itself, its fallback, the fallback's fallback …
 * ending at thanks. Null when the chain goes round in a circle (checkPrizeTable refuses that).
 */
export function fallbackChain(prizes: readonly Prize[], prizeId: string): Prize[] | null {
  const byId = new Map(prizes.map((prize) => [prize.id, prize]));
  const thanks = prizes.find((prize) => prize.kind === 'thanks');
  const chain: Prize[] = [];
  let next: Prize | undefined = byId.get(prizeId);
  while (next) {
    if (chain.includes(next)) return null;
    chain.push(next);
    if (next.kind === 'thanks') return chain;
    next = next.fallback === undefined ? thanks : byId.get(next.fallback);
  }
  return null;
}

/**
 * The prize a roll in [0, 10,000) lands on: the prizes' odds laid end to end in table order, so
 * prize i wins for exactly `odds[i]` of the 10,000 rolls. A prize with odds 0 is never picked.
 */
export function pickPrize(prizes: readonly Prize[], roll: number): Prize {
  if (!Number.isSafeInteger(roll) || roll < 0 || roll >= ODDS_TOTAL)
    throw new RangeError(`a roll is a whole number in [0, ${ODDS_TOTAL}), got ${roll}`);
  let upTo = 0;
  for (const prize of prizes) {
    upTo += prize.odds;
    if (roll < upTo) return prize;
  }
  throw new RangeError(`the odds sum to ${upTo}, not ${ODDS_TOTAL}`);
}

/** Odds as the page prints them: 250 → 2.50%. */
export function oddsText(odds: number): string {
  const whole = Math.floor(odds / 100);
  const hundredths = String(odds % 100).padStart(2, '0');
  return `${whole}.${hundredths}%`;
}

export const LOTTERY_STATES = ['open', 'not_started', 'ended', 'paused'] as const;
export type LotteryState = (typeof LOTTERY_STATES)[number];

export function lotteryState(rules: Pick<LotteryRules, 'startAt' | 'endAt' | 'paused'>, now: Date): LotteryState {
  if (rules.paused) return 'paused';
  if (now.getTime() < new Date(rules.startAt).getTime()) return 'not_started';
  if (now.getTime() >= new Date(rules.endAt).getTime()) return 'ended';
  return 'open';
}

/** Why a member may not draw now, or null: the lottery's window before the member's own limits. */
export type DrawRefusal = Exclude<LotteryState, 'open'> | 'daily_limit' | 'insufficient_points';

export function drawRefusal(rules: LotteryRules, facts: { drawnToday: number; balance: number; now: Date }): DrawRefusal | null {
  const state = lotteryState(rules, facts.now);
  if (state !== 'open') return state;
  if (facts.drawnToday >= rules.perMemberDaily) return 'daily_limit';
  if (facts.balance < rules.price) return 'insufficient_points';
  return null;
}

/** What the app says when a draw is refused. */
export const DRAW_REFUSAL_MESSAGES: Record<DrawRefusal | 'total_daily', string> = {
  not_started: '抽奖还未开始',
  ended: '抽奖已结束',
  paused: '抽奖暂停中，请稍后再来',
  daily_limit: '今日抽奖次数已用完，明天再来',
  insufficient_points: '积分不足',
  total_daily: '今日奖池已抽完，明天再来',
};

/** Draws the member has left today by the daily limit (the balance is shown beside it). */
export function drawsLeftToday(rules: Pick<LotteryRules, 'perMemberDaily'>, drawnToday: number): number {
  return Math.max(0, rules.perMemberDaily - drawnToday);
}

/**
 * A draw: `pending` from its insert (roll fixed) until its prize is settled: `done`; `abandoned`
 * when its points were never taken (refused, or a crash before: the sweep abandons it).
 */
export const DRAW_STATES = ['pending', 'done', 'abandoned'] as const;
export type DrawState = (typeof DRAW_STATES)[number];

/** A product prize waits for the winner's address: `unclaimed` → `claimed` (the order placed). */
export const CLAIM_STATES = ['unclaimed', 'claimed'] as const;
export type ClaimState = (typeof CLAIM_STATES)[number];
