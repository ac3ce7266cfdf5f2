import type { CallContext } from '../handler';
import { type AdminRefundInput, reserveAdminRefund } from '../order/reserve-admin-refund';
import { refundRow } from './order-rows';

/**
 * `refundOrder`: an operator's refund, recorded with who asked (an admin member's openid, or
 * `console` for the cloud console and timers). The scheduler's `driveRefunds` submits it.
 */
export async function refundOrder(input: AdminRefundInput, ctx: Pick<CallContext, 'caller'>, now: Date) {
  const requester = ctx.caller.openid ?? 'console';
  const { refund, created } = await reserveAdminRefund(input, requester, now);
  return { refund: refundRow(refund), created };
}
