import { noticeContract } from '../../core/contracts/notice';
import { createHandler } from '../../server/handler';
import { recordGrants, showAskable } from '../../server/notice/record-grants';

export const main = createHandler(noticeContract, {
  askable: (input, { caller }) => showAskable(caller, input.moment),
  recordGrants: (input, { caller }) => recordGrants(caller, input, new Date()),
});
