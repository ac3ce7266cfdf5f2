// expect: server/member/ may import no other feature
import { findCoupon } from '../coupon/repository';
export const x = findCoupon;
