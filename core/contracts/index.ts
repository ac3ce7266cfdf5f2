export { memberContract, MemberView } from './member';
