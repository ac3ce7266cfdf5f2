import type { ContentContract } from './content';
import type { CouponContract } from './coupon';
import type { MemberContract } from './member';

/**
 * The functions the app calls, by deployed name. Type-only: the app imports this map and the
 * views' types, never the schemas, so no validator reaches the mini-program's packages. The
 * admin contract is absent on purpose: the app never calls console jobs.
 */
export interface AppContracts {
  member: MemberContract;
  content: ContentContract;
  coupon: CouponContract;
}
export type AppFunction = keyof AppContracts;
