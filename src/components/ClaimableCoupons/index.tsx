import type { TemplateCard } from '../../../core/contracts/coupon';
import { useCouponCenterStore } from '../../stores/useCouponCenterStore';
import { CouponCard } from '../CouponCard';
import { templateCardProps } from '../CouponCard/cards';
import { showClaimOutcome } from '../CouponCard/claim-toast';

export interface ClaimableCouponsProps {
  templates: TemplateCard[];
  /** The server clock of the answer the templates came in (dates are read on it, not the phone's). */
  serverTime: string | null;
  /** A claim succeeded (the page may then offer reminders about it). */
  onClaimed?: () => void;
}

/** Templates as coupon cards whose button claims through the coupon center store and toasts what the server said. */
export function ClaimableCoupons({ templates, serverTime, onClaimed }: ClaimableCouponsProps) {
  const claiming = useCouponCenterStore((state) => state.claiming);
  const claim = useCouponCenterStore((state) => state.claim);
  return (
    <>
      {templates.map((template) => (
        <CouponCard
          key={template.templateId}
          testId={`template-${template.templateId}`}
          {...templateCardProps(template, {
            serverTime,
            claiming: Boolean(claiming[template.templateId]),
            onClaim: () =>
              void claim(template.templateId).then((outcome) => {
                showClaimOutcome(outcome);
                if (outcome.kind === 'claimed') onClaimed?.();
              }),
          })}
        />
      ))}
    </>
  );
}
