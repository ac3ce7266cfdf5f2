import type { CouponView, TemplateCard } from '../../../core/contracts/coupon';
import { COUPON_STATE_LABELS, describeValidity, shanghaiDate, TEMPLATE_STATE_LABELS } from '../../../core/coupon/labels';
import type { CouponCardProps } from './index';

/**
 * A template's and a member coupon's card, the same wherever it is listed (home, coupon center,
 * wallet, detail). Dates read on the server's clock, so a phone set to another day or zone still
 * agrees with what the server decides.
 */

/** Stock worth mentioning: few enough that "hurry" is true, never a large number that says nothing. */
export function isLowStock(template: Pick<TemplateCard, 'stockLeft' | 'totalStock'>): boolean {
  return template.stockLeft > 0 && (template.stockLeft <= 20 || template.stockLeft <= template.totalStock * 0.1);
}

export interface TemplateCardOptions {
  serverTime: string | null;
  /** Its claim is in flight. */
  claiming: boolean;
  onClaim: () => void;
}

export function templateCardProps(template: TemplateCard, { serverTime, claiming, onClaim }: TemplateCardOptions): CouponCardProps {
  const now = serverTime ? new Date(serverTime) : undefined;
  const open = template.state === 'available';
  return {
    name: template.name,
    terms: template.terms,
    scope: template.scope,
    validity: describeValidity(template.validity, now),
    note: open && isLowStock(template) ? `剩余 ${template.stockLeft} 张` : null,
    action: open
      ? { label: TEMPLATE_STATE_LABELS.available, onClick: onClaim, loading: claiming }
      : { label: TEMPLATE_STATE_LABELS[template.state], disabled: true },
  };
}

/** From–to when the coupon is not valid yet, else until when: 有效期至12月31日. */
export function couponValidityText(coupon: Pick<CouponView, 'validFrom' | 'validUntil'>, serverTime: string | null): string {
  const now = serverTime ? new Date(serverTime) : undefined;
  const until = shanghaiDate(coupon.validUntil, now);
  if (now && new Date(coupon.validFrom).getTime() > now.getTime()) return `${shanghaiDate(coupon.validFrom, now)} - ${until}`;
  return `有效期至${until}`;
}

export interface CouponCardOptions {
  serverTime: string | null;
  /** 去使用 on a usable coupon; without it the card has no button. */
  onUse?: () => void;
  onOpen?: () => void;
}

export function couponCardProps(coupon: CouponView, { serverTime, onUse, onOpen }: CouponCardOptions): CouponCardProps {
  const now = serverTime ? new Date(serverTime) : undefined;
  const base: CouponCardProps = {
    name: coupon.name,
    terms: coupon.terms,
    scope: coupon.scope,
    validity: couponValidityText(coupon, serverTime),
    onClick: onOpen,
  };
  switch (coupon.state) {
    case 'usable':
      return {
        ...base,
        expiringSoon: coupon.expiringSoon,
        action: onUse ? { label: COUPON_STATE_LABELS.usable, onClick: onUse } : null,
      };
    case 'locked':
      // Held by an unpaid order: not usable elsewhere until that order is paid or cancelled.
      return { ...base, note: COUPON_STATE_LABELS.locked };
    case 'used':
      return {
        ...base,
        validity: coupon.usedAt ? `已于${shanghaiDate(coupon.usedAt, now)}使用` : base.validity,
        stamp: COUPON_STATE_LABELS.used,
      };
    default:
      return { ...base, stamp: COUPON_STATE_LABELS.expired };
  }
}
