import type { BargainOfferView, TaskView } from '../../../core/contracts/bargain';
import { planOf, cutAt, cutRefusal, cutSchedule, isPaidOrderState, priceAfter, ruleLine, taskState } from '../../../core/fission/bargain';
import { activityPhase } from '../../../core/groupbuy/rules';
import { tempUrlMap } from '../../file-urls';
import { findOrder, type OrderDoc } from '../../order/repository';
import { findProducts, findSkus } from '../../shop/repository';
import { type BargainDoc, markBought, type TaskDoc } from './repository';

const iso = (value: Date | string) => new Date(value).toISOString();

/** The first character of a name, for the avatar circle (surrogate pairs kept whole). */
function initialOf(name: string): string {
  return Array.from(name.trim())[0] ?? '微';
}

/** Bargains as the app shows them: product name and image, the SKU's specs, the whole schedule of cuts (3 reads). */
export async function toOfferViews(bargains: readonly BargainDoc[], now: Date): Promise<BargainOfferView[]> {
  if (bargains.length === 0) return [];
  const [products, skus] = await Promise.all([findProducts(bargains.map((b) => b.productId)), findSkus(bargains.map((b) => b.skuId))]);
  const productOf = new Map(products.map((p) => [p._id, p]));
  const skuOf = new Map(skus.map((s) => [s._id, s]));
  const covers = bargains.map((b) => productOf.get(b.productId)?.images[0] ?? null);
  const urlOf = await tempUrlMap(covers);
  return bargains.map((bargain, i) => {
    const cover = covers[i];
    const specs = skuOf.get(bargain.skuId)?.specs ?? {};
    const plan = planOf(bargain);
    return {
      bargainId: bargain._id,
      title: bargain.title,
      productId: bargain.productId,
      productName: productOf.get(bargain.productId)?.name ?? bargain.title,
      imageUrl: cover ? (urlOf.get(cover) ?? null) : null,
      skuId: bargain.skuId,
      specsText: Object.entries(specs)
        .map(([key, value]) => `${key}：${value}`)
        .join(' / '),
      price: bargain.price,
      floor: bargain.floor,
      friends: bargain.friends,
      cuts: cutSchedule(plan),
      rule: ruleLine(plan),
      taskHours: bargain.taskHours,
      startAt: iso(bargain.startAt),
      endAt: iso(bargain.endAt),
      phase: activityPhase({ startAt: new Date(bargain.startAt), endAt: new Date(bargain.endAt) }, now),
      stockLeft: bargain.stockLeft,
      perMemberLimit: bargain.perMemberLimit,
    };
  });
}

/**
 * The task with its latest order. A paid order closes the task: the first read that sees it paid
 * marks the task bought (once), so cuts and purchases stop even if nobody opens the order again.
 */
export async function withOrder(task: TaskDoc, now: Date): Promise<{ task: TaskDoc; order: OrderDoc | null }> {
  if (!task.orderId) return { task, order: null };
  const order = await findOrder(task.orderId);
  if (order && !task.bought && isPaidOrderState(order.state)) {
    await markBought(task._id, order._id, now);
    return { task: { ...task, bought: true, boughtAt: now }, order };
  }
  return { task, order };
}

/** The task as `viewerId` sees it (null: a visitor without a member): the owner, a friend, or a visitor. */
export function toTaskView(task: TaskDoc, order: OrderDoc | null, viewerId: string | null, now: Date): TaskView {
  const plan = planOf(task);
  const state = taskState(task, now);
  const role = viewerId === null ? 'visitor' : viewerId === task.ownerId ? 'owner' : 'friend';
  const mine = viewerId ? task.cutters.find((cut) => cut.memberId === viewerId) : undefined;
  const orderOpen = order !== null && (order.state === 'reserving' || order.state === 'created');
  return {
    taskId: task._id,
    bargainId: task.bargainId,
    state,
    owner: { nickname: task.ownerName, initial: initialOf(task.ownerName) },
    price: task.price,
    floor: task.floor,
    current: priceAfter(plan, task.cuts),
    friends: task.friends,
    cuts: task.cuts,
    nextCut: task.cuts < task.friends ? cutAt(plan, task.cuts) : null,
    cutters: task.cutters.map((cut) => ({ nickname: cut.name, initial: initialOf(cut.name), fen: cut.fen })),
    expiresAt: iso(task.expiresAt),
    me: {
      role,
      cut: mine?.fen ?? null,
      canCut: role === 'friend' && viewerId !== null && cutRefusal(task, viewerId, now) === null,
      // An unpaid order may be paid from its page; a new one may be placed while the task runs.
      canBuy: role === 'owner' && (state === 'open' || state === 'complete' || (orderOpen && state !== 'bought')),
      orderId: role === 'owner' ? task.orderId : null,
      orderState: role === 'owner' && order ? order.state : null,
    },
  };
}
