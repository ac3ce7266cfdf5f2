// expect: server/order/ may import coupon, shop, member, content and ledger
import { exchangeItem } from '../points/exchange-item';
export const x = exchangeItem;
