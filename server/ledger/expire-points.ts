import { expirePoints as expireLots } from '../../core/points/account';
import { shanghaiDate } from '../../core/coupon/labels';
import { elapsedMs } from '../clock';
import { writeNoticeOnce } from '../notice-repository';
import { findMembersByNextExpiry, markNextExpiryNoticed, postEntry } from './repository';

const BATCH = 100;
/** The `points.expiring` notice goes out this long before points expire. */
export const POINTS_NOTICE_AHEAD_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Removes what is left of every lot past its expiry, one ledger entry per member and run
 * (`expiry:<member>:<seq>`: the transaction reads the member's change counter, so a second run
 * over the same lots finds them gone and writes nothing).
 */
export async function expireDuePoints(now: Date, budgetMs: number): Promise<{ members: number; points: number; more: boolean }> {
  const started = performance.now();
  let members = 0;
  let points = 0;
  while (elapsedMs(started) < budgetMs) {
    const due = await findMembersByNextExpiry({ before: now }, BATCH);
    for (const member of due) {
      const seq = Number(member.pointsSeq ?? 0);
      const posted = await postEntry(member._id, `expiry:${member._id}:${seq}`, { source: 'expiry', now }, (view) => {
        const expired = expireLots(view.account, now);
        return { delta: -expired.total, account: expired.account, entry: { lots: expired.expired } };
      });
      if (!posted.repeated) {
        members += 1;
        points -= posted.entry.delta;
      }
    }
    if (due.length < BATCH) return { members, points, more: false };
  }
  return { members, points, more: true };
}

/**
 * One `points.expiring` notice per member and expiry date, a week ahead: the members whose next
 * expiry falls within the week and was not noticed. The notice's `_id` dedupes a run cut off
 * between the notice and the mark.
 */
export async function writePointsExpiringNotices(now: Date, budgetMs: number): Promise<{ written: number; more: boolean }> {
  const started = performance.now();
  const until = new Date(now.getTime() + POINTS_NOTICE_AHEAD_MS);
  let written = 0;
  while (elapsedMs(started) < budgetMs) {
    const members = await findMembersByNextExpiry({ after: now, until }, BATCH);
    for (const member of members) {
      const lot = member.pointLots?.find(
        (l) => l.expiresAt && new Date(l.expiresAt).getTime() === new Date(member.pointsNextExpiry as Date).getTime(),
      );
      const expiresAt = new Date(member.pointsNextExpiry as Date);
      if (lot && lot.left > 0) {
        const fresh = await writeNoticeOnce(
          {
            kind: 'points.expiring',
            key: `${member._id}:${expiresAt.toISOString().slice(0, 10)}`,
            memberId: member._id,
            data: {
              points: lot.left,
              balance: Number(member.points ?? 0),
              expiresAt: expiresAt.toISOString(),
              date: shanghaiDate(expiresAt),
            },
            dueAt: now,
            expiresAt,
          },
          now,
        );
        if (fresh) written += 1;
      }
      await markNextExpiryNoticed(member._id, expiresAt);
    }
    if (members.length < BATCH) return { written, more: false };
  }
  return { written, more: true };
}
