// expect: server/order/ may import coupon, shop, member and content
import { settleSeat } from '../groupbuy/settle-seat';
export const x = settleSeat;
