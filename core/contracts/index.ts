import type { BargainContract } from './bargain';
import type { ContentContract } from './content';
import type { CouponContract } from './coupon';
import type { GroupbuyContract } from './groupbuy';
import type { HelpContract } from './help';
import type { LotteryContract } from './lottery';
import type { MemberContract } from './member';
import type { NoticeContract } from './notice';
import type { OrderContract } from './order';
import type { PointsContract } from './points';
import type { ReviewContract } from './review';
import type { ShopContract } from './shop';

/**
 * The functions the app calls, by deployed name. Type-only: the app imports this map and the
 * views' types, never the schemas, so no validator reaches the mini-program's packages. The
 * admin contract is absent on purpose: the app never calls console jobs.
 */
export interface AppContracts {
  member: MemberContract;
  content: ContentContract;
  coupon: CouponContract;
  shop: ShopContract;
  order: OrderContract;
  groupbuy: GroupbuyContract;
  points: PointsContract;
  notice: NoticeContract;
  help: HelpContract;
  lottery: LotteryContract;
  review: ReviewContract;
  bargain: BargainContract;
}
export type AppFunction = keyof AppContracts;
