import { memberContract } from '../../core/contracts/member';
import { createHandler } from '../../server/handler';
import { loginMember } from '../../server/member/login-member';

export const main = createHandler(memberContract, {
  login: (_input, { caller }) => loginMember(caller, new Date()),
});
