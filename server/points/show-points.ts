import type { ExchangeView, LedgerEntryView, MallItemView, PointsSummary } from '../../core/contracts/points';
import { shanghaiDate } from '../../core/coupon/labels';
import type { MemberDoc } from '../../core/member/member';
import { normalizeAccount } from '../../core/points/account';
import { checkInCalendar, currentStreak } from '../../core/points/check-in';
import type { LedgerEntryDoc } from '../../core/points/ledger';
import { type ExchangeState, mallItemState, needsAddress } from '../../core/points/mall';
import { describeRules, type PointsRules, shanghaiDay, STREAK_DAYS } from '../../core/points/rules';
import { DuetError } from '../../core/errors';
import { tempUrlMap } from '../file-urls';
import type { Caller } from '../handler';
import { checkInToday } from '../ledger/check-in';
import { findPointsRules, listEntries, type PointsFields } from '../ledger/repository';
import { findCurrentMember, memberOfCaller } from '../member/resolve-member';
import { findOrders } from '../order/repository';
import { type ExchangeInput, exchangeItem } from './exchange-item';
import { followOrder } from './settle-exchanges';
import { countMineOf, type ExchangeDoc, findItem, listItems, listMemberExchanges, type MallItemDoc } from './repository';

/** Points expiring within this window are shown as "expiring soon". */
const EXPIRING_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

type PointsMember = MemberDoc & PointsFields;

export function summarize(member: PointsMember, rules: PointsRules, now: Date): PointsSummary {
  const account = normalizeAccount(member);
  const soon = account.lots.find(
    (lot) => lot.expiresAt !== null && new Date(lot.expiresAt).getTime() - now.getTime() <= EXPIRING_WINDOW_MS,
  );
  const today = shanghaiDay(now);
  return {
    balance: account.balance,
    expiring: soon?.expiresAt
      ? {
          points: soon.left,
          at: new Date(soon.expiresAt).toISOString(),
          text: `${soon.left} 积分将于 ${shanghaiDate(soon.expiresAt, now)}过期`,
        }
      : null,
    checkIn: {
      done: member.checkIn?.day === today,
      streak: currentStreak(member.checkIn, today),
      calendar: checkInCalendar(member.checkIn, today, rules),
      rule: `连续签到 ${STREAK_DAYS} 天额外 +${rules.checkIn.streakBonus} 积分`,
    },
    rules: describeRules(rules),
    serverTime: now.toISOString(),
  };
}

export async function showSummary(caller: Caller, now: Date): Promise<PointsSummary> {
  const [member, rules] = await Promise.all([memberOfCaller(caller, now), findPointsRules()]);
  return summarize(member as PointsMember, rules, now);
}

export async function checkIn(caller: Caller, now: Date) {
  const member = await memberOfCaller(caller, now);
  const outcome = await checkInToday(member._id, now);
  const [after, rules] = await Promise.all([findCurrentMember(member._id), findPointsRules()]);
  return { ...outcome, summary: summarize((after ?? member) as PointsMember, rules, now) };
}

const LEDGER_PAGE = 20;

export async function showLedger(caller: Caller, input: { cursor?: string; limit?: number }, now: Date) {
  const member = await memberOfCaller(caller, now);
  const before = input.cursor ? parseCursor(input.cursor) : null;
  const limit = input.limit ?? LEDGER_PAGE;
  const entries = await listEntries(member._id, before, limit);
  const last = entries[entries.length - 1];
  return {
    entries: entries.map(toEntryView),
    nextCursor: entries.length === limit && last ? `${new Date(last.at).getTime()}~${last._id}` : null,
  };
}

/** A cursor this function gave: `<time ms>~<entry id>`. */
function parseCursor(cursor: string): { at: Date; id: string } {
  const match = /^(\d{1,15})~(ledger:.+)$/.exec(cursor);
  if (!match) throw new DuetError('INVALID_ARGUMENT', `cursor ${cursor.slice(0, 80)} is not one this function gave`);
  return { at: new Date(Number(match[1])), id: match[2] };
}

function toEntryView(entry: LedgerEntryDoc): LedgerEntryView {
  return {
    key: entry._id,
    delta: entry.delta,
    source: entry.source,
    title: entry.title,
    at: new Date(entry.at).toISOString(),
    balanceAfter: entry.balanceAfter,
  };
}

/** Running items (not ended, not paused) first by the order made; the caller's state on each. */
export async function showMall(caller: Caller, now: Date) {
  const member = await memberOfCaller(caller, now);
  const items = (await listItems()).filter((item) => !item.paused && new Date(item.endAt).getTime() > now.getTime());
  return { items: await toItemViews(items, member, now), balance: Number(member.points ?? 0) };
}

export async function showItem(caller: Caller, itemId: string, now: Date) {
  const [member, item] = await Promise.all([memberOfCaller(caller, now), findItem(itemId)]);
  if (!item) throw new DuetError('NOT_FOUND', `mall item ${itemId} does not exist`);
  const [view] = await toItemViews([item], member, now);
  return { item: view, balance: Number(member.points ?? 0) };
}

async function toItemViews(items: MallItemDoc[], member: MemberDoc, now: Date): Promise<MallItemView[]> {
  const [mine, urls] = await Promise.all([
    countMineOf(
      items.map((item) => item._id),
      member._id,
    ),
    imageUrls(items),
  ]);
  return items.map((item) => ({
    itemId: item._id,
    kind: item.kind,
    title: item.title,
    subtitle: item.subtitle,
    imageUrl: urls.get(item.imageFileId ?? '') ?? null,
    points: item.points,
    cash: item.cash,
    originalPrice: item.originalPrice,
    stockLeft: item.stockLeft,
    perMemberLimit: item.perMemberLimit,
    mine: mine.get(item._id) ?? 0,
    startAt: new Date(item.startAt).toISOString(),
    endAt: new Date(item.endAt).toISOString(),
    state: mallItemState(item, { stockLeft: item.stockLeft, mine: mine.get(item._id) ?? 0, balance: Number(member.points ?? 0), now }),
    needsAddress: needsAddress(item.kind),
  }));
}

function imageUrls(docs: ReadonlyArray<{ imageFileId: string | null }>): Promise<Map<string, string>> {
  return tempUrlMap(docs.map((doc) => doc.imageFileId));
}

const STATE_TEXT: Record<ExchangeState, string> = {
  pending: '兑换中',
  awaiting_payment: '待支付',
  done: '已兑换',
  failed: '兑换失败，积分已退回',
  cancelled: '已取消，积分已退回',
  refunded: '已退款，积分已退回',
};

/** The caller's exchanges; one still waiting for its payment is first brought up to date with its order. */
export async function showExchanges(caller: Caller, now: Date): Promise<{ exchanges: ExchangeView[] }> {
  const member = await memberOfCaller(caller, now);
  let exchanges = await listMemberExchanges(member._id);
  const waiting = exchanges.filter((x) => x.state === 'awaiting_payment' && x.orderId);
  if (waiting.length > 0) {
    const orders = new Map((await findOrders(waiting.map((x) => x.orderId as string))).map((order) => [order._id, order]));
    const moved = new Map<string, ExchangeDoc>();
    for (const x of waiting) moved.set(x._id, await followOrder(x, orders.get(x.orderId as string) ?? null, now));
    exchanges = exchanges.map((x) => moved.get(x._id) ?? x);
  }
  return { exchanges: await toExchangeViews(exchanges) };
}

export async function toExchangeViews(exchanges: ExchangeDoc[]): Promise<ExchangeView[]> {
  const urls = await imageUrls(exchanges);
  return exchanges.map((x) => ({
    exchangeId: x._id,
    itemId: x.itemId,
    kind: x.kind,
    title: x.title,
    imageUrl: urls.get(x.imageFileId ?? '') ?? null,
    points: x.points,
    cash: x.cash,
    state: x.state,
    stateText: STATE_TEXT[x.state],
    createdAt: new Date(x.createdAt).toISOString(),
    couponId: x.couponId,
    orderId: x.orderId,
  }));
}

/** `points.exchange`: the exchange as the app shows it, with the balance after it. */
export async function exchange(caller: Caller, input: ExchangeInput, now: Date) {
  const outcome = await exchangeItem(caller, input, now);
  const [member, [view]] = await Promise.all([findCurrentMember(outcome.exchange.memberId), toExchangeViews([outcome.exchange])]);
  return { exchange: view, payment: outcome.payment, balance: Number(member?.points ?? 0), repeated: outcome.repeated };
}
