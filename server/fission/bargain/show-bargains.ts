import type { Caller } from '../../handler';
import { memberOfCaller } from '../../member/resolve-member';
import { findBargainOrFail, findTaskOrFail } from './find-bargain';
import { isPaidOrderState } from '../../../core/fission/bargain';
import { findOrders } from '../../order/repository';
import { findBargains, findBargainsEndingAfter, findRecentTasksOf, markBought } from './repository';
import { startBlock } from './start-task';
import { toOfferViews, toTaskView, withOrder } from './views';

/** Running bargains, soonest end first (bargains not started yet are left out). */
export async function listBargainOffers(now: Date) {
  const running = (await findBargainsEndingAfter(now, 50)).filter((b) => new Date(b.startAt).getTime() <= now.getTime());
  return { offers: await toOfferViews(running, now), serverTime: now.toISOString() };
}

/** One bargain, the caller's live task in it and whether they may start one (a visitor sees the offer alone). */
export async function showOffer(caller: Caller, bargainId: string, now: Date) {
  const bargain = await findBargainOrFail(bargainId);
  const [offer] = await toOfferViews([bargain], now);
  if (!caller.openid) return { offer, myTask: null, canStart: false, blocked: null, serverTime: now.toISOString() };
  const member = await memberOfCaller(caller, now);
  const block = await startBlock(bargain, member._id, now);
  const live = block.live ? await withOrder(block.live, now) : null;
  return {
    offer,
    myTask: live ? toTaskView(live.task, live.order, member._id, now) : null,
    canStart: !block.live && !block.refusal,
    blocked: block.refusal?.refusal?.message ?? null,
    serverTime: now.toISOString(),
  };
}

/** One task as the caller sees it: its owner, a friend (who may cut) or a visitor. */
export async function showTask(caller: Caller, taskId: string, now: Date) {
  const found = await findTaskOrFail(taskId);
  const [{ task, order }, member] = await Promise.all([withOrder(found, now), caller.openid ? memberOfCaller(caller, now) : null]);
  const [offer] = await toOfferViews([await findBargainOrFail(task.bargainId)], now);
  return { task: toTaskView(task, order, member?._id ?? null, now), offer, serverTime: now.toISOString() };
}

/** The caller's tasks, newest first, each with its bargain (a visitor has none). A paid order seen here closes its task. */
export async function showMyTasks(caller: Caller, now: Date) {
  if (!caller.openid) return { tasks: [], serverTime: now.toISOString() };
  const member = await memberOfCaller(caller, now);
  const tasks = await findRecentTasksOf(member._id, 20);
  const [orders, bargains] = await Promise.all([
    findOrders(tasks.flatMap((task) => (task.orderId ? [task.orderId] : []))),
    findBargains(tasks.map((task) => task.bargainId)),
  ]);
  const orderOf = new Map(orders.map((order) => [order._id, order]));
  const offers = new Map((await toOfferViews(bargains, now)).map((offer) => [offer.bargainId, offer]));
  const views = [];
  for (const found of tasks) {
    const offer = offers.get(found.bargainId);
    if (!offer) continue;
    const order = found.orderId ? (orderOf.get(found.orderId) ?? null) : null;
    let task = found;
    if (order && !task.bought && isPaidOrderState(order.state)) {
      await markBought(task._id, order._id, now);
      task = { ...task, bought: true, boughtAt: now };
    }
    views.push({ task: toTaskView(task, order, member._id, now), offer });
  }
  return { tasks: views, serverTime: now.toISOString() };
}
