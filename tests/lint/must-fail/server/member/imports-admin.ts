// expect: server/member/ may import no other feature
import { ADMINS } from '../admin/repository';
export const x = ADMINS;
