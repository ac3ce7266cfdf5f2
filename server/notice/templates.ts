import templatesFile from '../../cloud/subscribe-templates.json';
import { NOTICE_KINDS, type NoticeKind, type NoticeTemplates } from '../../core/notice/builders';
import type { AskMoment } from '../../core/notice/grants';

/**
 * The templates file (cloud/subscribe-templates.json), bundled into the functions that send or ask:
 * the same definitions the local cloud checks sends against. A test keeps it consistent with the
 * builders; here it is only typed.
 */
export const NOTICE_TEMPLATES = templatesFile as unknown as NoticeTemplates & { asks: Record<AskMoment, string[]> };

const TITLES = new Map(NOTICE_TEMPLATES.templates.map((template) => [template.id, template.title ?? template.id]));

export function templateTitle(templateId: string): string {
  return TITLES.get(templateId) ?? templateId;
}

export function isNoticeKind(kind: string): kind is NoticeKind {
  return (NOTICE_KINDS as readonly string[]).includes(kind);
}

/** The subscription template a notice kind is sent with (null for a kind the file does not map). */
export function templateOfKind(kind: string): string | null {
  return isNoticeKind(kind) ? (NOTICE_TEMPLATES.notices[kind]?.template ?? null) : null;
}

export function isPromotional(kind: string): boolean {
  return isNoticeKind(kind) && NOTICE_TEMPLATES.notices[kind]?.promotional === true;
}
