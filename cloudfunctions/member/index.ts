import { memberContract } from '../../core/contracts/member';
import { visit } from '../../server/entry/visit';
import { createHandler } from '../../server/handler';
import { loginMember } from '../../server/coupon/welcome-member';
import { summarizeMember } from '../../server/member/summarize-member';

export const main = createHandler(memberContract, {
  login: (_input, { caller }) => loginMember(caller, new Date()),
  visit: (input, { caller }) => visit(caller, input, new Date()),
  summary: (_input, { caller }) => summarizeMember(caller, new Date()),
});
