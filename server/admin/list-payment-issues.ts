import { listPaymentIssues as findPaymentIssues } from '../order/repository';
import { paymentIssueRow } from './order-rows';

const MAX_ROWS = 200;

/** `listPaymentIssues`: payments no order wanted (unknown, cancelled, wrong amount), newest first, with the refund that gives each back. */
export async function listPaymentIssues() {
  return { issues: (await findPaymentIssues(MAX_ROWS)).map(paymentIssueRow) };
}
