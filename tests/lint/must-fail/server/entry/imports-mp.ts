// expect: server/entry/ may import member, content
import { mpConfig } from '../mp/config';
export const x = mpConfig;
