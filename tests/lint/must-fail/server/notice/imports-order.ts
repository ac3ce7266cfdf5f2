// expect: server/notice/ may import member, mp and the job runner
import { findOrder } from '../order/repository';
export const x = findOrder;
