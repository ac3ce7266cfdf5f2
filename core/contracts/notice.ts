import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { ASK_MOMENTS, GRANT_ANSWERS, MAX_TEMPLATES_PER_ASK } from '../notice/grants';

const TemplateId = z
  .string()
  .check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9_-]+$/, 'a template id is letters, digits, _ and -'));
const RequestId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId is 8-64 of A-Z a-z 0-9 _ -'));

export const AskableTemplate = z.object({ id: z.string(), title: z.string() });
export type AskableTemplate = z.infer<typeof AskableTemplate>;

export const GrantView = z.object({ templateId: z.string(), title: z.string(), remaining: z.int(), banned: z.boolean() });
export type GrantView = z.infer<typeof GrantView>;

/**
 * The `notice` function: what the app asks in the subscription sheet, and the member's answers.
 * The sheet itself is WeChat's (`requestSubscribeMessage`, from a tap); the grant ledger is ours.
 */
export const noticeContract = defineContract('notice', {
  /** The templates to offer at this moment: none the member holds a grant for or banned, at most 3. */
  askable: {
    input: z.strictObject({ moment: z.enum(ASK_MOMENTS) }),
    output: z.object({ templates: z.array(AskableTemplate) }),
  },
  /** The member's reminders: every template the app asks for, with what the ledger holds (the member center's 消息提醒). */
  reminders: {
    input: z.strictObject({}),
    output: z.object({ grants: z.array(GrantView) }),
  },
  /** The sheet's answers (accept / reject / ban / filter per template), counted once per requestId. */
  recordGrants: {
    input: z.strictObject({
      requestId: RequestId,
      moment: z.optional(z.enum(ASK_MOMENTS)),
      answers: z
        .record(TemplateId, z.enum(GRANT_ANSWERS))
        .check(
          z.refine(
            (answers) => Object.keys(answers).length >= 1 && Object.keys(answers).length <= MAX_TEMPLATES_PER_ASK,
            'one sheet answers 1-3 templates',
          ),
        ),
    }),
    output: z.object({ grants: z.array(GrantView) }),
  },
});
export type NoticeContract = typeof noticeContract;
