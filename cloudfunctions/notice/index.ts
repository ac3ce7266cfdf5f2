import { noticeContract } from '../../core/contracts/notice';
import { createHandler } from '../../server/handler';
import { recordGrants, showAskable, showReminders } from '../../server/notice/record-grants';

export const main = createHandler(noticeContract, {
  askable: (input, { caller }) => showAskable(caller, input.moment),
  reminders: (_input, { caller }) => showReminders(caller),
  recordGrants: (input, { caller }) => recordGrants(caller, input, new Date()),
});
