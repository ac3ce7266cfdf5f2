import type { AddressInput } from '../../../core/contracts/order';
import type { DrawView } from '../../../core/contracts/lottery';
import { DuetError } from '../../../core/errors';
import type { Caller } from '../../handler';
import { memberOfCaller } from '../../member/resolve-member';
import { placeOrder } from '../../order/create-order';
import { drawView } from './lottery-views';
import { findDraw, findLottery, updateDraw } from './repository';

/** The order a product prize places: its request id derived from the draw, so a second claim finds the same order. */
export function prizeOrderRequestId(drawId: string): string {
  return `prize-${drawId}`;
}

/**
 * A product prize's claim: the winner's address, and the order placed through the orders path at
 * no cash (the SKU's stock taken there, the order paid at once: nothing to pay, nothing earned,
 * nothing to refund), once per draw. A claim the SKU's stock refuses leaves the prize unclaimed,
 * to be claimed again once the operator adds stock.
 */
export async function claimPrize(
  caller: Caller,
  input: { drawId: string; address: AddressInput },
  now: Date,
): Promise<{ draw: DrawView; repeated: boolean }> {
  const member = await memberOfCaller(caller, now);
  const draw = await findDraw(input.drawId);
  if (!draw || draw.memberId !== member._id) throw new DuetError('NOT_FOUND', `draw ${input.drawId} is not the caller's`);
  if (draw.state !== 'done' || draw.prize?.kind !== 'product') {
    throw new DuetError('FAILED_PRECONDITION', `draw ${draw._id} has no product prize to claim`, {
      reason: 'nothing_to_claim',
      message: '这次抽奖没有需要填写地址的奖品',
    });
  }
  if (draw.claim === 'claimed') return { draw: drawView(draw), repeated: true };
  const lottery = await findLottery(draw.lotteryId);
  const prize = lottery?.prizes.find((p) => p.id === draw.prizeId);
  if (!prize?.skuId) throw new DuetError('INTERNAL', `draw ${draw._id}: prize ${draw.prizeId} of lottery ${draw.lotteryId} has no SKU`);
  const placed = await placeOrder(
    member,
    { lines: [{ skuId: prize.skuId, quantity: 1 }], coupon: 'none', requestId: prizeOrderRequestId(draw._id), address: input.address },
    { unitPrices: new Map([[prize.skuId, 0]]), prize: { lotteryId: draw.lotteryId, drawId: draw._id } },
    now,
  );
  const fields = { claim: 'claimed' as const, orderId: placed.order.orderId, updatedAt: now };
  const moved = await updateDraw(draw._id, { claim: 'unclaimed' }, fields);
  return { draw: drawView({ ...draw, ...fields }), repeated: !moved };
}
