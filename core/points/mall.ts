/**
 * The points mall's rules: what an item is, when a member may exchange it, and an exchange's
 * states. Pure; the server applies them.
 */
export const MALL_ITEM_KINDS = ['coupon', 'product', 'points_cash'] as const;
export type MallItemKind = (typeof MALL_ITEM_KINDS)[number];

export const MALL_ITEM_STATES = [
  'available',
  'insufficient_points',
  'limit_reached',
  'sold_out',
  'not_started',
  'ended',
  'paused',
] as const;
export type MallItemState = (typeof MALL_ITEM_STATES)[number];

/**
 * pending: points taken, the item being issued · awaiting_payment: the cash part's order is unpaid
 * · done · failed: nothing taken, or all given back · cancelled: the cash part went unpaid, points
 * given back · refunded: the order was refunded, points given back.
 */
export const EXCHANGE_STATES = ['pending', 'awaiting_payment', 'done', 'failed', 'cancelled', 'refunded'] as const;
export type ExchangeState = (typeof EXCHANGE_STATES)[number];

export const MAX_ITEM_POINTS = 10_000_000;
export const MAX_ITEM_STOCK = 1_000_000;
export const MAX_ITEM_LIMIT = 100;

export interface MallItem {
  kind: MallItemKind;
  title: string;
  points: number;
  /** Fen; 0 unless `points_cash`. */
  cash: number;
  /** Coupon items: the template issued. */
  templateId?: string;
  /** Product items: the SKU shipped. */
  skuId?: string;
  stock: number;
  perMemberLimit: number;
  startAt: Date;
  endAt: Date;
  paused: boolean;
}

export interface MallItemFacts {
  stockLeft: number;
  /** Exchanges the member made of this item that count against the limit. */
  mine: number;
  balance: number;
  now: Date;
}

/** Whether a member may exchange the item now, or the first reason not (window before stock before the member's own). */
export function mallItemState(
  item: Pick<MallItem, 'points' | 'perMemberLimit' | 'startAt' | 'endAt' | 'paused'>,
  facts: MallItemFacts,
): MallItemState {
  const t = facts.now.getTime();
  if (item.paused) return 'paused';
  if (t < new Date(item.startAt).getTime()) return 'not_started';
  if (t >= new Date(item.endAt).getTime()) return 'ended';
  if (facts.stockLeft <= 0) return 'sold_out';
  if (facts.mine >= item.perMemberLimit) return 'limit_reached';
  if (facts.balance < item.points) return 'insufficient_points';
  return 'available';
}

/** What the app says when an exchange is refused, by state. */
export const MALL_STATE_MESSAGES: Record<Exclude<MallItemState, 'available'>, string> = {
  insufficient_points: '积分不足',
  limit_reached: '已达兑换上限',
  sold_out: '已兑完',
  not_started: '兑换未开始',
  ended: '兑换已结束',
  paused: '暂停兑换',
};

export function needsAddress(kind: MallItemKind): boolean {
  return kind !== 'coupon';
}
