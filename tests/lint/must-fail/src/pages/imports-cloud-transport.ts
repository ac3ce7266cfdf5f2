// expect: never the cloud transport
import { callCloud } from '../services/cloud';
export const x = callCloud;
