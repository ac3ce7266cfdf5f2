// expect: server/entry/ may import member
import { mpConfig } from '../mp/config';
export const x = mpConfig;
