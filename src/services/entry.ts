import type { VisitRequest } from '../../core/contracts/member';
import { callCloud } from './cloud';
import { newRequestId } from './request-id';

export function visit(request: VisitRequest) {
  return callCloud('member', 'visit', request);
}

/**
 * A page opened from a subscription or 公众号 template message carries `from=notice_sub|notice_mp&nk=<kind>`
 * (core/notice/dispatch.ts markLanding): each open is reported as the funnel's notice landing.
 */
export function reportNoticeLanding(query: Record<string, string | undefined> | undefined): void {
  const from = query?.from;
  if (from !== 'notice_sub' && from !== 'notice_mp') return;
  visit({ from, nk: query?.nk, requestId: newRequestId() }).catch(() => {
    // Counting only: the page opens whatever happens here, and a lost call is one landing not counted.
  });
}
