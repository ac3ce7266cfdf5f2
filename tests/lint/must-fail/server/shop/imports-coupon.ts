// expect: server/shop/ may import member and content
import { findCoupon } from '../coupon/repository';
export const x = findCoupon;
