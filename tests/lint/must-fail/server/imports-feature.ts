// expect: server/'s shared modules import no feature folder
import { findMember } from './member/repository';
export const x = findMember;
