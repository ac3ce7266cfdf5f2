// expect: server/coupon/ may import member and content
import { findCursor } from '../jobs/repository';
export const x = findCursor;
