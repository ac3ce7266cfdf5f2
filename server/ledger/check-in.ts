import { DuetError } from '../../core/errors';
import { earnPoints } from '../../core/points/account';
import { decideCheckIn } from '../../core/points/check-in';
import { expiryOf, shanghaiDay } from '../../core/points/rules';
import { finalMemberId } from '../member/resolve-member';
import { findPointsRules, postEntry } from './repository';

export interface CheckInOutcome {
  /** False when today's check-in was done before (here or in the other app). */
  checkedIn: boolean;
  awarded: number;
  bonus: boolean;
}

/**
 * Today's check-in, once per person per Asia/Shanghai day whichever app it comes from: the
 * mini-program's button and 签到 sent to the 公众号 post the same key, `checkin:<member>:<day>`,
 * and the member's check-in state says "done today" inside the same transaction.
 */
export async function checkInToday(memberId: string, now: Date): Promise<CheckInOutcome> {
  const rules = await findPointsRules();
  if (rules.checkIn.points <= 0) {
    throw new DuetError('FAILED_PRECONDITION', 'check-in is off (checkIn.points is 0)', {
      reason: 'check_in_off',
      message: '签到活动暂未开放',
    });
  }
  const id = await finalMemberId(memberId);
  const today = shanghaiDay(now);
  let bonus = false;
  try {
    const posted = await postEntry(id, `checkin:${id}:${today}`, { source: 'checkin', now }, (view) => {
      const decision = decideCheckIn(view.member.checkIn, view.today, rules);
      if (decision.done) return { refused: 'checked_in', message: '今天已经签到过啦', code: 'ALREADY_EXISTS' };
      bonus = decision.bonus;
      const expiresAt = expiryOf(rules.expiry, now);
      return {
        delta: decision.award,
        account: earnPoints(view.account, decision.award, expiresAt),
        entry: { expiresAt, ...(decision.bonus ? { title: '连续签到 7 天奖励' } : {}) },
        member: { checkIn: decision.state },
      };
    });
    if (posted.repeated) return { checkedIn: false, awarded: 0, bonus: false };
    return { checkedIn: true, awarded: posted.entry.delta, bonus };
  } catch (error) {
    if (error instanceof DuetError && error.refusal?.reason === 'checked_in') return { checkedIn: false, awarded: 0, bonus: false };
    throw error;
  }
}
