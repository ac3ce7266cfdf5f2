import { earnPoints } from '../../../core/points/account';
import { expiryOf } from '../../../core/points/rules';
import { findPointsRules, postEntry } from '../../ledger/repository';

/**
 * Points of 助力 through the ledger, once per key (`help:task:<task>` for the owner's reward,
 * `help:helper:<help>` for a helper's): a repeat finds the entry and adds nothing. They expire as the
 * points rules say. Answers whether this call posted them.
 */
export async function grantHelpPoints(
  memberId: string,
  key: string,
  points: number,
  title: string,
  ref: Record<string, string>,
  now: Date,
): Promise<boolean> {
  if (points <= 0) return false;
  const rules = await findPointsRules();
  const expiresAt = expiryOf(rules.expiry, now);
  const posted = await postEntry(memberId, key, { source: 'help', title, now }, (view) => ({
    delta: points,
    account: earnPoints(view.account, points, expiresAt),
    entry: { expiresAt, ref },
  }));
  return !posted.repeated;
}
