// expect: tests reach functions through the local cloud
import { main } from '../../cloudfunctions/member/index';
export const x = main;
