import '../../server/groupbuy/install';
import { handlePayNotice } from '../../server/order/handle-pay-notice';

// cloudPay calls this for payments and refunds (the functionName of unifiedOrder and refund).
export const main = (event: unknown) => handlePayNotice(event, new Date());
