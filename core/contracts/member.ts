import { z } from 'zod';
import { defineContract } from '../contract';

/** A member as the app sees it. Times are ISO strings: results travel as JSON. */
export const MemberView = z.object({
  _id: z.string(),
  /** Present only when the mini-program is bound to an Open Platform account. */
  unionid: z.string().nullable(),
  nickname: z.string(),
  followsMp: z.boolean(),
  points: z.number().int(),
  createdAt: z.string(),
});
export type MemberView = z.infer<typeof MemberView>;

export const memberContract = defineContract('member', {
  login: {
    input: z.object({}).strict(),
    output: MemberView,
  },
});
