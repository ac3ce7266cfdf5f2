// expect: the app imports only src/ and core/
import { log } from '../../server/log';
export const x = log;
