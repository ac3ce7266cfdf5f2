/** Group-buy views for the store and component tests (never imported by the app). */
import type { ActivityCard, ActivityView, GroupCard, GroupView, MyGroupView } from '../../core/contracts/groupbuy';

export const GROUP_SERVER_TIME = '2026-12-03T04:00:00.000Z';

/** The demo mug at ¥39 for two, from ¥49: two colours, one sold out. */
export function activityView(overrides: Partial<ActivityView> = {}): ActivityView {
  return {
    activityId: 'gb-mug',
    title: '樱花杯两人团',
    productId: 'prd-mug',
    productName: '樱花陶瓷马克杯',
    imageUrl: 'https://cdn.example.com/mug.png',
    skus: [
      { skuId: 'sku-mug-pink', specs: { 颜色: '樱粉' }, price: 4900, groupPrice: 3900, stock: 100 },
      { skuId: 'sku-mug-white', specs: { 颜色: '米白' }, price: 5900, groupPrice: 4500, stock: 0 },
    ],
    groupPrice: 3900,
    originalPrice: 4900,
    size: 2,
    fillHours: 24,
    holdMinutes: 10,
    startAt: '2026-12-01T00:00:00.000Z',
    endAt: '2026-12-31T00:00:00.000Z',
    phase: 'running',
    stockLeft: 50,
    perMemberLimit: 1,
    leaderNewMembersOnly: false,
    couponsAllowed: false,
    rule: '满2人成团，24小时内未成团自动退款',
    ...overrides,
  };
}

/** An open group of two: the leader paid, one seat free, the reader not in it. */
export function groupView(overrides: Partial<GroupView> = {}, me: Partial<GroupView['me']> = {}): GroupView {
  return {
    groupId: 'g1',
    activityId: 'gb-mug',
    state: 'open',
    size: 2,
    paid: 1,
    free: 1,
    missing: 1,
    seats: [{ nickname: '爱丽丝', initial: '爱', leader: true, paid: true }],
    deadline: '2026-12-04T04:00:00.000Z',
    simulated: false,
    ...overrides,
    me: { seat: 'none', leader: false, orderId: null, payBy: null, action: 'join', label: '参团', ...me },
  };
}

export function groupCard(overrides: Partial<GroupCard> = {}): GroupCard {
  return { groupId: 'g1', leader: '爱丽丝', initials: ['爱'], missing: 1, free: 1, deadline: '2026-12-04T04:00:00.000Z', ...overrides };
}

export function activityCard(overrides: Partial<ActivityCard> = {}): ActivityCard {
  return { activity: activityView(), groups: [groupCard()], openGroups: 1, ...overrides };
}

export function myGroupView(overrides: Partial<MyGroupView> = {}): MyGroupView {
  return {
    group: groupView({}, { seat: 'paid', leader: true, orderId: 'o1', action: 'joined', label: '已参团' }),
    activity: activityView(),
    orderState: 'paid',
    ...overrides,
  };
}
