// expect: server/order/ may import coupon, shop, member and content
import { JOBS } from '../jobs/index';
export const x = JOBS;
