// expect: scripts drive the product from outside
import { log } from '../server/log';
export const x = log;
