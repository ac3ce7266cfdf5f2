import type { AddressInput } from '../../../core/contracts/order';
import { DuetError } from '../../../core/errors';
import { isPaidOrderState, planOf, priceAfter, taskState } from '../../../core/fission/bargain';
import type { MemberDoc } from '../../../core/member/member';
import type { Caller } from '../../handler';
import { memberOfCaller } from '../../member/resolve-member';
import { type CreatedOrder, orderIdOf, placeOrder, requestPrepay } from '../../order/create-order';
import { paySettings } from '../../order/pay-api';
import { toOrderView } from '../../order/order-view';
import { findOrder, type OrderDoc } from '../../order/repository';
import { findTaskOrFail } from './find-bargain';
import { claimAttempt, findTask, markBought, type TaskDoc } from './repository';

export interface BuyInput {
  taskId: string;
  address: AddressInput;
}

/** The order request id of a task's n-th purchase attempt: the order's id follows from it, so a retry finds the order. */
export function attemptRequestId(taskId: string, attempt: number): string {
  return `bargain-${taskId}-${attempt}`;
}

/**
 * The owner buys the task's SKU at the task's price now — price − the cuts so far, computed here
 * from the task, never from the request — quantity 1, no coupon, through the order path
 * (`placeOrder` with the price as the SKU's unit price and the task on the order as `bargain`).
 * One order per task at a time: the attempt is claimed by a conditional update of the task (two
 * taps at once make one order); while it is unpaid the same order answers; a cancelled or expired
 * one lets the next attempt start; a paid one closes the task.
 */
export async function buyAtTaskPrice(caller: Caller, input: BuyInput, now: Date): Promise<CreatedOrder> {
  paySettings();
  const member = await memberOfCaller(caller, now);
  let task = await findTaskOrFail(input.taskId);
  if (task.ownerId !== member._id) {
    throw new DuetError('PERMISSION_DENIED', `bargain task ${task._id} is not member ${member._id}'s`, {
      reason: 'not_yours',
      message: '只有发起人可以按砍后价购买',
    });
  }
  for (let round = 0; round < 5; round++) {
    const order = task.orderId ? await findOrder(task.orderId) : null;
    if (order && isPaidOrderState(order.state)) {
      await markBought(task._id, order._id, now);
      throw new DuetError('FAILED_PRECONDITION', `bargain task ${task._id} was bought by order ${order._id}`, {
        reason: 'bought',
        message: '你已按砍后价购买过了',
      });
    }
    if (order && (order.state === 'created' || order.state === 'reserving')) return answerOpenOrder(order, now);
    const state = taskState(task, now);
    if (state === 'expired' || state === 'bought') {
      throw new DuetError('FAILED_PRECONDITION', `bargain task ${task._id} is ${state}`, {
        reason: state,
        message: state === 'expired' ? '这次砍价已结束' : '你已按砍后价购买过了',
      });
    }
    const attempt = task.attempts;
    if (task.orderId && !order && orderIdOf(member._id, attemptRequestId(task._id, attempt)) === task.orderId) {
      // The attempt was claimed and its order never made (a call cut off, or a tap a moment ago): make it now, once.
      return place(member, task, attempt, input.address, now);
    }
    const next = attempt + 1;
    if (await claimAttempt(task._id, attempt, orderIdOf(member._id, attemptRequestId(task._id, next)), now)) {
      return place(member, { ...task, attempts: next }, next, input.address, now);
    }
    const again = await findTask(task._id);
    if (!again) throw new DuetError('INTERNAL', `bargain task ${task._id} vanished`);
    task = { ...again, ownerId: task.ownerId };
  }
  throw new DuetError('CONFLICT', `bargain task ${task._id} kept moving; try again`);
}

function place(member: MemberDoc, task: TaskDoc, attempt: number, address: AddressInput, now: Date): Promise<CreatedOrder> {
  const price = priceAfter(planOf(task), task.cuts);
  return placeOrder(
    member,
    { lines: [{ skuId: task.skuId, quantity: 1 }], coupon: 'none', requestId: attemptRequestId(task._id, attempt), address },
    {
      unitPrices: new Map([[task.skuId, price]]),
      bargain: { bargainId: task.bargainId, taskId: task._id, price: task.price, cut: task.price - price },
    },
    now,
  );
}

/** The task's unpaid order again: its payment while it can still be paid (a tap twice, a retry). */
async function answerOpenOrder(order: OrderDoc, now: Date): Promise<CreatedOrder> {
  if (order.state === 'reserving') throw new DuetError('CONFLICT', `order ${order._id} is still being created`);
  const payment = new Date(order.payBy).getTime() > now.getTime() ? await requestPrepay(order) : null;
  return { order: await toOrderView(order, now), payment, repeated: true };
}
