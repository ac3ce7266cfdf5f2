import { DuetError } from '../../core/errors';
import { earnPoints, spendPoints } from '../../core/points/account';
import { expiryOf } from '../../core/points/rules';
import { findPointsRules, postEntry } from '../ledger/repository';
import { log } from '../log';
import { findCurrentMember } from '../member/resolve-member';

export interface AdjustInput {
  memberId: string;
  delta: number;
  reason: string;
  requestId: string;
}

/**
 * `adjustPoints`: an operator grants or deducts points with a reason, once per requestId
 * (`admin:<requestId>`). The entry records who did it and why: the ledger is the audit trail. A
 * deduction never takes the balance below zero (refused, nothing written). Granted points expire
 * as earned ones do.
 */
export async function adjustPoints(input: AdjustInput, operator: string, now: Date) {
  const member = await findCurrentMember(input.memberId);
  if (!member) throw new DuetError('NOT_FOUND', `member ${input.memberId} does not exist`);
  const rules = await findPointsRules();
  const posted = await postEntry(
    member._id,
    `admin:${input.requestId}`,
    { source: 'admin', title: input.delta > 0 ? '平台赠送' : '平台扣减', now },
    (view) => {
      if (input.delta > 0) {
        const expiresAt = expiryOf(rules.expiry, now);
        return {
          delta: input.delta,
          account: earnPoints(view.account, input.delta, expiresAt),
          entry: { expiresAt, operator, reason: input.reason },
        };
      }
      const spent = spendPoints(view.account, -input.delta);
      if (!spent) return { refused: 'insufficient_points', message: `余额 ${view.account.balance}，不足扣减 ${-input.delta}` };
      return { delta: input.delta, account: spent.account, entry: { lots: spent.consumed, operator, reason: input.reason } };
    },
  );
  if (!posted.repeated) log('info', { event: 'points.adjusted', memberId: member._id, delta: input.delta, operator, reason: input.reason });
  return { memberId: member._id, delta: posted.entry.delta, balance: posted.entry.balanceAfter, repeated: posted.repeated };
}
