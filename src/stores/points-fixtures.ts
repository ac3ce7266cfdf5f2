/** Points views for the store and component tests (never imported by the app). */
import type { CalendarDay, ExchangeView, LedgerEntryView, MallItemView, PointsSummary } from '../../core/contracts/points';

export const POINTS_SERVER_TIME = '2026-12-03T04:00:00.000Z';

/** A cycle two days in: 12/01 and 12/02 done, today (12/03) not yet, the bonus on 12/07. */
export function calendar(doneToday = false): CalendarDay[] {
  const days = ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06', '2026-12-07'];
  return days.map((day, i) => ({
    day,
    label: i === 2 ? '今天' : i === 3 ? '明天' : `12/${Number(day.slice(8))}`,
    points: i === 6 ? 25 : 5,
    done: i < 2 || (i === 2 && doneToday),
    today: i === 2,
    bonus: i === 6,
  }));
}

export function pointsSummary(overrides: Partial<PointsSummary> = {}, checkIn: Partial<PointsSummary['checkIn']> = {}): PointsSummary {
  return {
    balance: 120,
    expiring: { points: 30, at: '2026-12-31T15:59:59.999Z', text: '30 积分将于 12月31日 过期' },
    rules: ['每日签到 +5 积分，连续签到 7 天额外 +20 积分', '关注公众号 +50 积分', '每消费 1 元 +1 积分'],
    serverTime: POINTS_SERVER_TIME,
    ...overrides,
    checkIn: { done: false, streak: 2, calendar: calendar(false), rule: '连续签到 7 天额外 +20 积分', ...checkIn },
  };
}

export function ledgerEntry(overrides: Partial<LedgerEntryView> = {}): LedgerEntryView {
  return {
    key: 'ledger:checkin:2026-12-02',
    delta: 5,
    source: 'checkin',
    title: '每日签到',
    at: '2026-12-02T01:00:00.000Z',
    balanceAfter: 120,
    ...overrides,
  };
}

/** A 5 元 coupon for 100 points, in stock, the member able to exchange it. */
export function mallItem(overrides: Partial<MallItemView> = {}): MallItemView {
  return {
    itemId: 'mi-coupon-5',
    kind: 'coupon',
    title: '5元无门槛券',
    subtitle: '无门槛 · 领取后7天有效',
    imageUrl: null,
    points: 100,
    cash: 0,
    originalPrice: null,
    stockLeft: 50,
    perMemberLimit: 2,
    mine: 0,
    startAt: '2026-12-01T00:00:00.000Z',
    endAt: '2026-12-31T00:00:00.000Z',
    state: 'available',
    needsAddress: false,
    ...overrides,
  };
}

/** A mug for 500 points plus ¥9.90, shipped. */
export function cashItem(overrides: Partial<MallItemView> = {}): MallItemView {
  return mallItem({
    itemId: 'mi-mug',
    kind: 'points_cash',
    title: '樱花陶瓷马克杯',
    subtitle: '积分+现金 · 包邮到家',
    imageUrl: 'https://cdn.example.com/mug.png',
    points: 500,
    cash: 990,
    originalPrice: 4900,
    needsAddress: true,
    ...overrides,
  });
}

export function exchangeView(overrides: Partial<ExchangeView> = {}): ExchangeView {
  return {
    exchangeId: 'ex-1',
    itemId: 'mi-coupon-5',
    kind: 'coupon',
    title: '5元无门槛券',
    imageUrl: null,
    points: 100,
    cash: 0,
    state: 'done',
    stateText: '已兑换',
    createdAt: '2026-12-03T03:00:00.000Z',
    couponId: 'cpn-1',
    orderId: null,
    ...overrides,
  };
}

/** A points + cash exchange waiting for its payment (待支付). */
export function cashExchangeView(overrides: Partial<ExchangeView> = {}): ExchangeView {
  return exchangeView({
    kind: 'points_cash',
    title: '樱花陶瓷马克杯',
    points: 500,
    cash: 990,
    state: 'awaiting_payment',
    stateText: '待支付',
    couponId: null,
    ...overrides,
  });
}
