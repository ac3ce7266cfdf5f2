// expect: the app ships no validator
import * as z from 'zod/mini';
export const x = z;
