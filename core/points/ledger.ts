import type { PointLot } from './account';

/** Where a ledger entry comes from: what the member reads and how the operator filters. */
export const LEDGER_SOURCES = [
  'checkin',
  'follow',
  'order',
  'refund',
  'invite',
  'exchange',
  'exchange_return',
  'admin',
  'expiry',
  'merge',
  'help',
  'lottery',
  'lottery_prize',
  'review',
] as const;
export type LedgerSource = (typeof LEDGER_SOURCES)[number];

/**
 * One change of a member's points. `_id` is `ledger:<source key>`, the idempotency key: the same
 * check-in day, order, refund, exchange or admin request can never count twice, because the
 * insert of a second entry with that `_id` fails and takes the balance change with it.
 */
export interface LedgerEntryDoc {
  _id: string;
  memberId: string;
  delta: number;
  source: LedgerSource;
  /** The member's words for it (每日签到, 购物奖励 …). */
  title: string;
  balanceAfter: number;
  at: Date;
  /** The member's change counter after this entry: orders entries of one member exactly. */
  seq: number;
  /** Earned points: when they expire (null: never). */
  expiresAt?: Date | null;
  /** Spent or expired points: what each lot gave (a return gives these back). */
  lots?: PointLot[];
  /** Taken back less than owed because the member had spent it. */
  unrecovered?: number;
  /** The order, refund, exchange or invitee behind the entry. */
  ref?: Record<string, string>;
  /** Admin entries: who did it and why. */
  operator?: string;
  reason?: string;
}

export function ledgerId(sourceKey: string): string {
  return `ledger:${sourceKey}`;
}

/** Titles for entries whose source says it all. */
export const LEDGER_TITLES: Partial<Record<LedgerSource, string>> = {
  checkin: '每日签到',
  follow: '关注公众号',
  order: '购物奖励',
  refund: '退款扣回',
  invite: '邀请好友',
  exchange_return: '兑换退回',
  expiry: '积分过期',
  merge: '账户合并',
  help: '好友助力',
  lottery: '积分抽奖',
  lottery_prize: '抽奖奖励',
  review: '商品评价',
};
