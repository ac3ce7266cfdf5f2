import { assert, DuetError } from '../../core/errors';
import { creditOf, eventId } from '../../core/funnel/events';
import { type AskMoment, askableTemplates, type GrantAnswer, type GrantCounts, NO_GRANT } from '../../core/notice/grants';
import type { Caller } from '../handler';
import { memberOfCaller } from '../member/resolve-member';
import { findGrantsOfOpenid, recordAnswersOnce } from './repository';
import { NOTICE_TEMPLATES, templateTitle } from './templates';

export interface GrantView {
  templateId: string;
  title: string;
  remaining: number;
  banned: boolean;
}

function view(templateId: string, counts: GrantCounts): GrantView {
  return { templateId, title: templateTitle(templateId), remaining: counts.remaining, banned: counts.banned };
}

/** `notice.askable`: what the app offers in the sheet at this moment (none held, none banned, ≤ 3). */
export async function showAskable(caller: Caller, moment: AskMoment) {
  assert(caller.openid, 'UNAUTHENTICATED', 'this action needs a WeChat user (OPENID)');
  const grants = await findGrantsOfOpenid(caller.openid);
  const ids = askableTemplates(NOTICE_TEMPLATES.asks[moment] ?? [], new Map(grants.map((g) => [g.templateId, g])));
  return { templates: ids.map((id) => ({ id, title: templateTitle(id) })) };
}

/** `notice.reminders`: every template any moment asks for, in the order first asked, with the member's counts. */
export async function showReminders(caller: Caller): Promise<{ grants: GrantView[] }> {
  assert(caller.openid, 'UNAUTHENTICATED', 'this action needs a WeChat user (OPENID)');
  const grants = new Map((await findGrantsOfOpenid(caller.openid)).map((g) => [g.templateId, g]));
  const asked = [...new Set(Object.values(NOTICE_TEMPLATES.asks).flat())];
  return { grants: asked.map((id) => view(id, grants.get(id) ?? NO_GRANT)) };
}

/**
 * `notice.recordGrants`: the member's answers in one sheet, counted once per `requestId` (the app
 * makes one per sheet) however often the call is retried.
 */
export async function recordGrants(
  caller: Caller,
  input: { requestId: string; moment?: AskMoment; answers: Record<string, GrantAnswer> },
  now: Date,
): Promise<{ grants: GrantView[] }> {
  const openid = caller.openid;
  assert(openid, 'UNAUTHENTICATED', 'this action needs a WeChat user (OPENID)');
  const unknown = Object.keys(input.answers).filter((id) => !NOTICE_TEMPLATES.templates.some((t) => t.id === id));
  if (unknown.length > 0) throw new DuetError('INVALID_ARGUMENT', `unknown subscription templates: ${unknown.join(', ')}`);
  const member = await memberOfCaller(caller, now);
  const after = await recordAnswersOnce(
    openid,
    member._id,
    input.answers,
    // The funnel's record of the sheet (accepts per moment), in the grants' transaction: once per sheet.
    {
      _id: eventId('subscribe_answer', openid, input.requestId),
      kind: 'subscribe_answer',
      memberId: member._id,
      at: now,
      ...creditOf(member),
      moment: input.moment ?? null,
      answers: input.answers,
    },
    now,
  );
  return { grants: after.map(({ templateId, counts }) => view(templateId, counts)) };
}
