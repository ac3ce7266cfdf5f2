import type { QuoteView } from '../../core/contracts/order';
import type { OrderLineInput } from '../../core/order/price-order';
import { tempUrlMap } from '../file-urls';
import type { Caller } from '../handler';
import { memberOfCaller } from '../member/resolve-member';
import { couponChoiceOf, priceForMember, toQuoteView } from './price-for-member';

/** What the order would cost now: prices and stock from the database, the member's coupons best first. */
export async function quoteOrder(caller: Caller, input: { lines: OrderLineInput[]; coupon?: string }, now: Date): Promise<QuoteView> {
  const member = await memberOfCaller(caller, now);
  const price = await priceForMember(member._id, input.lines, couponChoiceOf(input.coupon), now);
  const urlOf = await tempUrlMap([...price.imageOf.values()]);
  return toQuoteView(price, (fileId) => (fileId && urlOf.get(fileId)) || null);
}
