import { DEFAULT_DISPATCH_POLICY, type DispatchPolicy, formatClockTime, parseClockTime } from '../../core/notice/dispatch';
import { DuetError } from '../../core/errors';
import { instanceCache } from '../instance-cache';
import { findNoticeSettings, NOTICE_SETTINGS_ID, putNoticeSettings } from './repository';

/** Sends in flight at once by default: WeChat's open APIs answer in tens of ms, and the database has to keep up. */
export const DEFAULT_CONCURRENCY = 10;

export type NoticePolicy = DispatchPolicy & { concurrency: number };

const policyCache = instanceCache<NoticePolicy>(30_000, async () => {
  const doc = await findNoticeSettings();
  return {
    ...DEFAULT_DISPATCH_POLICY,
    concurrency: doc?.concurrency ?? DEFAULT_CONCURRENCY,
    maxAttempts: doc?.maxAttempts ?? DEFAULT_DISPATCH_POLICY.maxAttempts,
    quietHours: doc ? doc.quietHours : DEFAULT_DISPATCH_POLICY.quietHours,
  };
});

/** The dispatch policy: the defaults with the operator's settings over them (read at most every 30 s per instance). */
export function noticePolicy(): Promise<NoticePolicy> {
  return policyCache.get();
}

export interface NoticeSettingsInput {
  /** `{ start: "22:00", end: "08:00" }` (Asia/Shanghai), or null for none. */
  quietHours?: { start: string; end: string } | null;
  maxAttempts?: number;
  concurrency?: number;
}

export function settingsView(policy: NoticePolicy) {
  return {
    quietHours: policy.quietHours ? { start: formatClockTime(policy.quietHours.start), end: formatClockTime(policy.quietHours.end) } : null,
    maxAttempts: policy.maxAttempts,
    concurrency: policy.concurrency,
  };
}

/** `noticeSettings`: with no input, the current settings; the fields given replace the current ones. */
export async function noticeSettings(input: NoticeSettingsInput, operator: string, now: Date) {
  const current = await noticePolicy();
  if (input.quietHours === undefined && input.maxAttempts === undefined && input.concurrency === undefined) {
    return { settings: settingsView(current) };
  }
  let quietHours = current.quietHours;
  if (input.quietHours !== undefined) {
    if (input.quietHours === null) quietHours = null;
    else {
      const start = parseClockTime(input.quietHours.start);
      const end = parseClockTime(input.quietHours.end);
      if (start === null || end === null) throw new DuetError('INVALID_ARGUMENT', 'quietHours.start and .end are HH:mm (00:00-23:59)');
      quietHours = { start, end };
    }
  }
  const next: NoticePolicy = {
    ...current,
    quietHours,
    maxAttempts: input.maxAttempts ?? current.maxAttempts,
    concurrency: input.concurrency ?? current.concurrency,
  };
  await putNoticeSettings({
    _id: NOTICE_SETTINGS_ID,
    quietHours: next.quietHours,
    maxAttempts: next.maxAttempts,
    concurrency: next.concurrency,
    updatedAt: now,
    updatedBy: operator,
  });
  policyCache.put(next);
  return { settings: settingsView(next) };
}
