import type { Caller } from '../../handler';
import { memberOfCaller } from '../../member/resolve-member';
import { findBargainOrFail, findTaskOrFail } from './find-bargain';
import { findBargainsEndingAfter } from './repository';
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
