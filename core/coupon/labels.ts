import type { MemberCouponState } from './apply-coupons';
import type { TemplateState } from './coupon';
import type { CouponTerms, ProductScope } from './template';

/**
 * What a member reads on a coupon, in one place for the app's cards and the notices' keywords.
 * Amounts are yuan without trailing zeros (¥5, ¥5.5, ¥5.05), as WeChat's own coupons show them.
 */

export function yuan(fen: number): string {
  const whole = Math.trunc(fen / 100);
  const cents = Math.abs(fen % 100);
  if (cents === 0) return String(whole);
  return `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

export interface TermsText {
  /** The big figure on the card: `¥10` or `8.5折`. */
  value: string;
  /** Under it: `满99可用`, `无门槛`, `立减`, `最高减20元`. */
  condition: string;
  /** One phrase for lists and messages: `满99减10元`. */
  summary: string;
}

export function describeTerms(terms: CouponTerms): TermsText {
  switch (terms.kind) {
    case 'threshold_off':
      return {
        value: `¥${yuan(terms.amountOff)}`,
        condition: `满${yuan(terms.threshold)}可用`,
        summary: `满${yuan(terms.threshold)}减${yuan(terms.amountOff)}元`,
      };
    case 'percent_off': {
      // 15% off is 8.5折: ten minus a tenth of the percent.
      const zhe = (100 - terms.percentOff) / 10;
      return { value: `${zhe}折`, condition: `最高减${yuan(terms.cap)}元`, summary: `${zhe}折，最高减${yuan(terms.cap)}元` };
    }
    case 'no_threshold':
      return { value: `¥${yuan(terms.amountOff)}`, condition: '无门槛', summary: `无门槛减${yuan(terms.amountOff)}元` };
    default:
      return { value: `¥${yuan(terms.amountOff)}`, condition: '立减', summary: `立减${yuan(terms.amountOff)}元` };
  }
}

export function describeScope(scope: ProductScope | { all: boolean }): string {
  const all = scope === 'all' || (typeof scope === 'object' && 'all' in scope && scope.all);
  return all ? '全场通用' : '指定商品可用';
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** `12月31日` (and the year when it is not `now`'s), on the Asia/Shanghai calendar. */
export function shanghaiDate(at: Date | string, now?: Date): string {
  const local = new Date(new Date(at).getTime() + SHANGHAI_OFFSET_MS);
  const day = `${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
  if (!now) return day;
  const year = new Date(now.getTime() + SHANGHAI_OFFSET_MS).getUTCFullYear();
  return local.getUTCFullYear() === year ? day : `${local.getUTCFullYear()}年${day}`;
}

/** `2026-12-31 23:59` on the Asia/Shanghai clock: a date keyword of a message. */
export function shanghaiDateTime(at: Date | string): string {
  const iso = new Date(new Date(at).getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export type ValidityText = { type: 'fixed'; startsAt: string; endsAt: string } | { type: 'days_after_claim'; days: number };

/** A template's validity before anyone claimed it: `领取后7天内有效` or `有效期至12月31日`. */
export function describeValidity(validity: ValidityText, now?: Date): string {
  if (validity.type === 'days_after_claim') return `领取后${validity.days}天内有效`;
  return `有效期至${shanghaiDate(validity.endsAt, now)}`;
}

/** The button of a template in the coupon center, by its state for this member. */
export const TEMPLATE_STATE_LABELS: Record<TemplateState, string> = {
  available: '立即领取',
  claimed: '已领取',
  sold_out: '已抢光',
  not_started: '未开始',
  ended: '已结束',
  not_eligible: '不符合条件',
  paused: '暂停领取',
};

/** The stamp or action of a coupon in the wallet. */
export const COUPON_STATE_LABELS: Record<MemberCouponState, string> = {
  usable: '去使用',
  locked: '待支付订单使用中',
  used: '已使用',
  expired: '已过期',
};
