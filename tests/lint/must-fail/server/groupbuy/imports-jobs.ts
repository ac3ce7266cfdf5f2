// expect: server/groupbuy/ may import order, coupon, shop, member and content
import { JOBS } from '../jobs/index';
export const x = JOBS;
