// expect: core/ imports nothing of the project but core/
import { log } from '../server/log';
export const x = log;
