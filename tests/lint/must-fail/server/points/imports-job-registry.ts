// expect: server/points/ may import ledger, order, coupon, shop, member, content and the job runner
import { JOBS } from '../jobs/index';
export const x = JOBS;
