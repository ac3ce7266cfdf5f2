// expect: server/order/ may import coupon, shop, member, content and ledger
import { settleSeat } from '../groupbuy/settle-seat';
export const x = settleSeat;
