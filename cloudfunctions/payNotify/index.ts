import '../../server/groupbuy/install';
import { envProbe } from '../../server/env-probe';
import { handlePayNotice } from '../../server/order/handle-pay-notice';

// cloudPay calls this for payments and refunds (the functionName of unifiedOrder and refund); the
// doctor's variable probe from the console too.
export const main = async (event: unknown) => envProbe(event) ?? handlePayNotice(event, new Date());
