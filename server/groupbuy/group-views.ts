import type { ActivityView, GroupCard, GroupView } from '../../core/contracts/groupbuy';
import { INVITE_ACTION_LABELS, inviteActionOf, type SeatOfCaller } from '../../core/groupbuy/group-state';
import { activityPhase } from '../../core/groupbuy/rules';
import type { ProductDoc, SkuDoc } from '../../core/product/product';
import { tempUrlMap } from '../file-urls';
import type { OrderDoc } from '../order/repository';
import { findProducts, findSkus } from '../shop/repository';
import type { ActivityDoc, GroupDoc } from './repository';

const iso = (value: Date | string) => new Date(value).toISOString();

/** The first character of a name, for the avatar circle (surrogate pairs kept whole). */
export function initialOf(name: string): string {
  return Array.from(name.trim())[0] ?? '微';
}

/** Activities as the app shows them: product name and image, each SKU's own and group price, live stock (3 reads). */
export async function toActivityViews(activities: readonly ActivityDoc[], now: Date): Promise<ActivityView[]> {
  if (activities.length === 0) return [];
  const [products, skus] = await Promise.all([
    findProducts(activities.map((a) => a.productId)),
    findSkus(activities.flatMap((a) => a.skus.map((s) => s.skuId))),
  ]);
  const productOf = new Map(products.map((p) => [p._id, p]));
  const skuOf = new Map(skus.map((s) => [s._id, s]));
  const covers = activities.map((a) => productOf.get(a.productId)?.images[0] ?? null);
  const urlOf = await tempUrlMap(covers);
  return activities.map((activity, i) => {
    const cover = covers[i];
    return toActivityView(activity, productOf.get(activity.productId), skuOf, cover ? (urlOf.get(cover) ?? null) : null, now);
  });
}

function toActivityView(
  activity: ActivityDoc,
  product: ProductDoc | undefined,
  skuOf: Map<string, SkuDoc>,
  imageUrl: string | null,
  now: Date,
): ActivityView {
  const skus = activity.skus.flatMap(({ skuId, groupPrice }) => {
    const sku = skuOf.get(skuId);
    return sku ? [{ skuId, specs: sku.specs, price: sku.price, groupPrice, stock: sku.stock }] : [];
  });
  const cheapest = [...skus].sort((a, b) => a.groupPrice - b.groupPrice)[0];
  const phase = activityPhase({ startAt: new Date(activity.startAt), endAt: new Date(activity.endAt) }, now);
  return {
    activityId: activity._id,
    title: activity.title,
    productId: activity.productId,
    productName: product?.name ?? activity.title,
    imageUrl,
    skus,
    groupPrice: cheapest?.groupPrice ?? 0,
    originalPrice: cheapest?.price ?? 0,
    size: activity.size,
    fillHours: activity.fillHours,
    holdMinutes: activity.holdMinutes,
    startAt: iso(activity.startAt),
    endAt: iso(activity.endAt),
    phase: activity.paused && phase === 'running' ? 'ended' : phase,
    stockLeft: Math.max(0, activity.stockLeft),
    perMemberLimit: activity.perMemberLimit,
    leaderNewMembersOnly: activity.leaderNewMembersOnly,
    couponsAllowed: activity.couponsAllowed,
    rule: `满${activity.size}人成团，${activity.fillHours}小时内未成团自动退款`,
  };
}

/** The leader first, then members in the order they took their seats (the map keeps insertion order). */
function seatsOf(group: GroupDoc) {
  const members = [group.leaderId, ...group.heldBy.filter((id) => id !== group.leaderId)].filter((id) => group.heldBy.includes(id));
  return members.map((memberId) => {
    const nickname = group.names[memberId] ?? '微信用户';
    return { nickname, initial: initialOf(nickname), leader: memberId === group.leaderId, paid: group.paidBy.includes(memberId) };
  });
}

/** A group as the invite page shows it to `memberId` (their order, when they hold a seat, gives the hold's end). */
export function toGroupView(
  group: GroupDoc,
  memberId: string | null,
  myOrder: (Pick<OrderDoc, 'state'> & { payBy: Date | string }) | null,
  now: Date,
): GroupView {
  const holds = memberId ? group.holds[memberId] : undefined;
  const seat: SeatOfCaller = !memberId || !holds ? 'none' : group.paidBy.includes(memberId) ? 'paid' : 'held';
  const counts = { state: group.state, size: group.size, taken: group.taken, paid: group.paid, deadline: new Date(group.deadline) };
  const action = inviteActionOf(counts, seat === 'held' && myOrder?.state !== 'created' ? 'none' : seat, now);
  return {
    groupId: group._id,
    activityId: group.activityId,
    state: group.state,
    size: group.size,
    paid: group.paid,
    free: Math.max(0, group.size - group.taken),
    missing: Math.max(0, group.size - group.paid),
    seats: seatsOf(group),
    deadline: iso(group.deadline),
    simulated: group.simulated === true,
    me: {
      seat,
      leader: memberId === group.leaderId,
      orderId: holds ?? null,
      payBy: seat === 'held' && myOrder ? iso(myOrder.payBy) : null,
      action,
      label: INVITE_ACTION_LABELS[action],
    },
  };
}

/** An open group in a list: leader, initials, seats missing, deadline. */
export function toGroupCard(group: GroupDoc): GroupCard {
  const seats = seatsOf(group);
  return {
    groupId: group._id,
    leader: seats.find((seat) => seat.leader)?.nickname ?? '团长',
    initials: seats.map((seat) => seat.initial),
    missing: Math.max(0, group.size - group.paid),
    free: Math.max(0, group.size - group.taken),
    deadline: iso(group.deadline),
  };
}
