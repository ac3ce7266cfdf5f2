import { endOfShanghaiDay } from '../coupon/validity';

/**
 * How members earn points, set by the `setPointsRules` job. One rule per way of earning; a rule
 * with 0 points is off. Daily caps bound what one member earns from a rule per Shanghai day.
 */
export interface PointsRules {
  /** Daily check-in (mini-program or 签到 in the 公众号 chat, once per day across both). */
  checkIn: { points: number; streakBonus: number };
  /** Following the 公众号, once per person. */
  follow: { points: number };
  /** Per yuan paid (floored), on payment; taken back on refund. */
  purchase: { pointsPerYuan: number; dailyCap: number };
  /** A friend who becomes a new member through the member's share, once per friend. */
  invite: { points: number; dailyCap: number };
  expiry: PointsExpiry;
}

export const EXPIRY_MODES = ['never', 'days', 'next_year_end'] as const;
export type PointsExpiry = { mode: 'never' } | { mode: 'days'; days: number } | { mode: 'next_year_end' };

/** The bonus comes on the 7th day in a row, then the calendar starts over. */
export const STREAK_DAYS = 7;

export const DEFAULT_POINTS_RULES: PointsRules = {
  checkIn: { points: 5, streakBonus: 20 },
  follow: { points: 50 },
  purchase: { pointsPerYuan: 1, dailyCap: 5000 },
  invite: { points: 100, dailyCap: 500 },
  expiry: { mode: 'next_year_end' },
};

export const MAX_RULE_POINTS = 100_000;
export const MAX_EXPIRY_DAYS = 3660;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The Asia/Shanghai calendar day of `at`: `2026-12-03`. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The first instant of a calendar day in Asia/Shanghai: `2026-12-01` → 2026-11-30T16:00:00Z. */
export function startOfShanghaiDay(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/** The calendar day `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** When points earned at `at` stop counting: null (never), the end of the Nth day, or the end of next year. */
export function expiryOf(expiry: PointsExpiry, at: Date): Date | null {
  if (expiry.mode === 'never') return null;
  if (expiry.mode === 'days') return endOfShanghaiDay(at, expiry.days);
  const year = Number(shanghaiDay(at).slice(0, 4)) + 1;
  return new Date(Date.parse(`${year + 1}-01-01T00:00:00+08:00`) - 1);
}

/** Points for a payment of `fen`: whole yuan times the rate. */
export function purchasePoints(rules: PointsRules, fen: number): number {
  return Math.floor(Math.max(0, fen) / 100) * rules.purchase.pointsPerYuan;
}

/**
 * The points a refund takes back. The refunds of an order are counted in the order they were made:
 * after refunds of `fen` in all, the order owes back its points in that proportion, floored (all of
 * them once all it paid is refunded), and a refund takes the step its own amount makes on top of
 * `refundedBeforeFen` (what the order's earlier refunds refund). So partial refunds add up to
 * exactly what the order earned, whichever settles first, and never more in total (`alreadyOwed` is
 * what earlier refunds of the order took back or forgave).
 */
export function pointsOwedForRefund(
  earned: number,
  paidFen: number,
  refundFen: number,
  alreadyOwed: number,
  refundedBeforeFen = 0,
): number {
  if (earned <= 0 || paidFen <= 0) return 0;
  const owedAfter = (fen: number) => (fen >= paidFen ? earned : Math.floor((earned * Math.max(0, fen)) / paidFen));
  const share = owedAfter(refundedBeforeFen + refundFen) - owedAfter(refundedBeforeFen);
  return Math.max(0, Math.min(share, earned - alreadyOwed));
}

/** What a daily cap still allows today: the whole award, part of it, or 0. */
export function cappedAward(award: number, earnedToday: number, dailyCap: number): number {
  return Math.max(0, Math.min(award, dailyCap - earnedToday));
}

/** The rules in one line each, as the points center shows them. */
export function describeRules(rules: PointsRules): string[] {
  const lines: string[] = [];
  if (rules.checkIn.points > 0) {
    lines.push(
      `每日签到 +${rules.checkIn.points} 积分，连续 ${STREAK_DAYS} 天额外 +${rules.checkIn.streakBonus}（公众号发送“签到”同样有效）`,
    );
  }
  if (rules.follow.points > 0) lines.push(`关注公众号 +${rules.follow.points} 积分（每人一次）`);
  if (rules.purchase.pointsPerYuan > 0) lines.push(`购物每消费 1 元得 ${rules.purchase.pointsPerYuan} 积分，退款时扣回`);
  if (rules.invite.points > 0) lines.push(`邀请好友成为新会员 +${rules.invite.points} 积分`);
  lines.push(describeExpiry(rules.expiry));
  return lines;
}

export function describeExpiry(expiry: PointsExpiry): string {
  if (expiry.mode === 'never') return '积分长期有效';
  if (expiry.mode === 'days') return `积分自获得之日起 ${expiry.days} 天内有效`;
  return '积分有效期至获得次年的 12 月 31 日';
}

/** A member created this recently whose first arrival is a friend's share counts as that friend's invite. */
export const INVITE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The member who invited `member` by this arrival, or null: the arrival is a share by someone
 * else, it is the member's first touch, and the member is new (made within a day).
 */
export function inviterOf(
  member: { _id: string; createdAt: Date; firstTouch?: unknown },
  touch: { sharer?: string } | null,
  now: Date,
): string | null {
  if (!touch?.sharer || touch.sharer === member._id || member.firstTouch) return null;
  return now.getTime() - new Date(member.createdAt).getTime() <= INVITE_WINDOW_MS ? touch.sharer : null;
}

/** What capped rules gave today (`{ day, order, invite }`), kept on the member. */
export type PointsDay = { day: string } & Record<string, number | string>;

/**
 * Two members' counters of today's capped earnings as one person's: the same day adds up (a
 * merge never doubles a daily cap), otherwise the later day's counters stand.
 */
export function mergePointsDay(into: PointsDay | null | undefined, from: PointsDay | null | undefined): PointsDay | null | undefined {
  if (!from) return into;
  if (!into || from.day > into.day) return from;
  if (from.day < into.day) return into;
  const merged: PointsDay = { ...into };
  for (const [rule, value] of Object.entries(from)) if (rule !== 'day') merged[rule] = Number(merged[rule] ?? 0) + Number(value);
  return merged;
}
