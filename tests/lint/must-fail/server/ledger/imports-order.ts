// expect: server/ledger/ may import member
import { findOrder } from '../order/repository';
export const x = findOrder;
