import type { ActivityCard, ActivityView, GroupCard, GroupView, MyGroupView } from '../../core/contracts/groupbuy';
import type { QuoteView } from '../../core/contracts/order';
import type { Caller } from '../handler';
import { memberOfCaller } from '../member/resolve-member';
import { couponChoiceOf, priceForMember, toQuoteView } from '../order/price-for-member';
import { findOrder, findOrders } from '../order/repository';
import { tempUrls } from '../file-urls';
import { findActivityOrFail, findGroupOrFail, groupPricesOf } from './find-activity';
import { toActivityViews, toGroupCard, toGroupView } from './group-views';
import { findActivities, findActivitiesEndingAfter, findJoinableGroups, findMemberGroups } from './repository';

const LIST_LIMIT = 20;
const CARD_GROUPS = 3;
const ACTIVITY_GROUPS = 20;

/** Groups a reader could join: open, before the deadline, with a free seat. */
async function joinableCards(activityId: string, now: Date, limit: number): Promise<GroupCard[]> {
  const groups = await findJoinableGroups(activityId, now, limit * 2);
  return groups
    .filter((group) => group.taken < group.size)
    .slice(0, limit)
    .map(toGroupCard);
}

/** `groupbuy.list`: activities running now (not paused), each with up to three groups to join. */
export async function listActivities(now: Date): Promise<{ activities: ActivityCard[]; serverTime: string }> {
  const activities = (await findActivitiesEndingAfter(now, LIST_LIMIT)).filter(
    (a) => !a.paused && new Date(a.startAt).getTime() <= now.getTime(),
  );
  const views = await toActivityViews(activities, now);
  const cards = await Promise.all(
    views.map(async (activity) => {
      const groups = await joinableCards(activity.activityId, now, ACTIVITY_GROUPS);
      return { activity, groups: groups.slice(0, CARD_GROUPS), openGroups: groups.length };
    }),
  );
  return { activities: cards, serverTime: now.toISOString() };
}

/** `groupbuy.activity`: one activity and the groups a reader could join. */
export async function showActivity(
  activityId: string,
  now: Date,
): Promise<{ activity: ActivityView; groups: GroupCard[]; serverTime: string }> {
  const activity = await findActivityOrFail(activityId);
  const [view] = await toActivityViews([activity], now);
  return { activity: view, groups: await joinableCards(activityId, now, ACTIVITY_GROUPS), serverTime: now.toISOString() };
}

/** `groupbuy.group`: the invite page. A reader who is not a member yet sees it too (as nobody in it). */
export async function showGroup(
  caller: Caller,
  groupId: string,
  now: Date,
): Promise<{ group: GroupView; activity: ActivityView; serverTime: string }> {
  const group = await findGroupOrFail(groupId);
  // The console (no WeChat user) sees the group as nobody in it.
  const member = caller.openid ? (await memberOfCaller(caller, now))._id : null;
  const [activity, myOrder] = await Promise.all([
    findActivityOrFail(group.activityId),
    member && group.holds[member] ? findOrder(group.holds[member]) : Promise.resolve(null),
  ]);
  const [view] = await toActivityViews([activity], now);
  return { group: toGroupView(group, member, myOrder, now), activity: view, serverTime: now.toISOString() };
}

/** `groupbuy.mine`: the groups the caller holds or paid a seat in, newest first. */
export async function showMyGroups(caller: Caller, now: Date): Promise<{ groups: MyGroupView[]; serverTime: string }> {
  const member = await memberOfCaller(caller, now);
  const groups = await findMemberGroups(member._id, 50);
  const [activities, orders] = await Promise.all([
    findActivities(groups.map((group) => group.activityId)),
    findOrders(groups.map((group) => group.holds[member._id]).filter((id): id is string => !!id)),
  ]);
  const views = new Map((await toActivityViews(activities, now)).map((view) => [view.activityId, view]));
  const orderOf = new Map(orders.map((order) => [order._id, order]));
  return {
    groups: groups.flatMap((group) => {
      const activity = views.get(group.activityId);
      if (!activity) return [];
      const order = orderOf.get(group.holds[member._id]) ?? null;
      return [{ group: toGroupView(group, member._id, order, now), activity, orderState: order?.state ?? null }];
    }),
    serverTime: now.toISOString(),
  };
}

/** `groupbuy.quote`: one seat at the group price, with the caller's coupons when the activity allows them. */
export async function quoteSeat(
  caller: Caller,
  input: { activityId: string; skuId: string; coupon?: string },
  now: Date,
): Promise<QuoteView> {
  const member = await memberOfCaller(caller, now);
  const activity = await findActivityOrFail(input.activityId);
  const unitPrices = groupPricesOf(activity, input.skuId);
  const choice = activity.couponsAllowed ? couponChoiceOf(input.coupon) : 'none';
  const price = await priceForMember(member._id, [{ skuId: input.skuId, quantity: 1 }], choice, now, activity.couponsAllowed, unitPrices);
  const cover = price.imageOf.get(input.skuId) ?? null;
  const [url] = cover ? await tempUrls([cover]) : [null];
  return toQuoteView(price, (fileId) => (fileId ? url : null));
}
