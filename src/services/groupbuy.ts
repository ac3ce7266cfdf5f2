import type { AddressInput } from '../../core/contracts/order';
import { callCloud } from './cloud';
import type { CouponChoice } from './order';

/** What buying one seat sends; the server prices it (the group price) and holds the seat first. */
export interface SeatInput {
  skuId: string;
  requestId: string;
  address: AddressInput;
  coupon: CouponChoice;
}

/** Running activities with up to three open groups each: the storefront's 拼团 section and the list page. */
export function list() {
  return callCloud('groupbuy', 'list', {});
}

/** One activity with the open groups a reader could join. */
export function activity(activityId: string) {
  return callCloud('groupbuy', 'activity', { activityId });
}

/** One seat at the group price; the caller's coupons only when the activity allows them. */
export function quote(activityId: string, skuId: string, coupon: CouponChoice) {
  return callCloud('groupbuy', 'quote', { activityId, skuId, coupon });
}

/** 开团: the leader's seat and order; the same requestId answers the same seat (`repeated`). */
export function open(activityId: string, seat: SeatInput) {
  return callCloud('groupbuy', 'open', { activityId, ...seat });
}

/** 参团: a seat in an open group and its order; refusals carry a Chinese message (已满员, 已结束). */
export function join(groupId: string, seat: SeatInput) {
  return callCloud('groupbuy', 'join', { groupId, ...seat });
}

/** The invite page: the group, its activity and the caller's place in it. */
export function group(groupId: string) {
  return callCloud('groupbuy', 'group', { groupId });
}

/** The caller's groups, newest first. */
export function mine() {
  return callCloud('groupbuy', 'mine', {});
}
