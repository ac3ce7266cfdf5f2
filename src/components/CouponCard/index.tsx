import { Text, View } from '@tarojs/components';
import type { TermsView } from '../../../core/contracts/coupon';
import { describeScope, describeTerms } from '../../../core/coupon/labels';
import type { CouponTerms } from '../../../core/coupon/template';
import { Button } from '../../ui';
import './index.css';

export interface CouponCardAction {
  /** What a tap does (立即领取, 去使用) or, when `disabled`, why it cannot (已抢光). */
  label: string;
  onClick?: () => void;
  /** The call is in flight: a spinner, and taps are ignored. */
  loading?: boolean;
  /** A state, not an action: shown quietly and not tappable. */
  disabled?: boolean;
}

export interface CouponCardProps {
  name: string;
  terms: TermsView;
  scope: { all: boolean };
  /** The validity line as the page words it (领取后7天内有效, 有效期至12月31日). */
  validity: string;
  /** A modest extra line, e.g. 剩余 12 张. */
  note?: string | null;
  /** 已使用 / 已过期: the card is greyed and stamped, with no action. */
  stamp?: string | null;
  /** Usable and in its last days: marked 即将过期. */
  expiringSoon?: boolean;
  action?: CouponCardAction | null;
  /** A tap on the card itself (not its button), e.g. to open the coupon's details. */
  onClick?: () => void;
  testId?: string;
}

/** The contract's terms view as the label helpers take it; a missing figure reads as 0. */
export function termsOf(view: TermsView): CouponTerms {
  const { kind, amountOff = 0, threshold = 0, percentOff = 0, cap = 0 } = view;
  return { kind, amountOff, threshold, percentOff, cap } as CouponTerms;
}

/** `¥10` → small `¥` and big `10`; `8.5折` → big `8.5` and small `折`. */
function splitValue(value: string): { before: string; figure: string; after: string } {
  if (value.startsWith('¥')) return { before: '¥', figure: value.slice(1), after: '' };
  if (value.endsWith('折')) return { before: '', figure: value.slice(0, -1), after: '折' };
  return { before: '', figure: value, after: '' };
}

/** A coupon as every page shows it: the amount big on the left, what it is on the right, its state at the edge. */
export function CouponCard({ name, terms, scope, validity, note, stamp, expiringSoon, action, onClick, testId }: CouponCardProps) {
  const text = describeTerms(termsOf(terms));
  const value = splitValue(text.value);
  const muted = Boolean(stamp);
  return (
    <View
      className={`coupon-card${muted ? ' coupon-card--muted' : ''}${onClick ? ' coupon-card--tappable' : ''}`}
      data-testid={testId}
      {...(onClick ? { onClick } : {})}
    >
      <View className="coupon-card__value">
        <Text className="coupon-card__amount" data-testid="coupon-value">
          {value.before ? <Text className="coupon-card__unit">{value.before}</Text> : null}
          <Text className="coupon-card__figure">{value.figure}</Text>
          {value.after ? <Text className="coupon-card__unit">{value.after}</Text> : null}
        </Text>
        <Text className="coupon-card__condition" data-testid="coupon-condition">
          {text.condition}
        </Text>
      </View>
      <View className="coupon-card__body">
        <Text className="coupon-card__name" data-testid="coupon-name">
          {name}
        </Text>
        {expiringSoon && !muted ? (
          <Text className="coupon-card__soon" data-testid="coupon-expiring">
            即将过期
          </Text>
        ) : null}
        <Text className="coupon-card__line">{describeScope(scope)}</Text>
        <Text className="coupon-card__line">{validity}</Text>
        {note ? (
          <Text className="coupon-card__note" data-testid="coupon-note">
            {note}
          </Text>
        ) : null}
      </View>
      {/* An edge with a button keeps its taps: a tap beside or on a quiet button must not open the card. */}
      <View className="coupon-card__edge" {...(action && !stamp ? { onClick: (event) => event.stopPropagation() } : {})}>
        {stamp ? (
          <View className="coupon-card__stamp" data-testid="coupon-stamp">
            <Text>{stamp}</Text>
          </View>
        ) : action ? (
          <Button
            className={`coupon-card__action${action.disabled ? ' coupon-card__action--quiet' : ''}`}
            type={action.disabled ? 'default' : 'primary'}
            fill={action.disabled ? 'outline' : undefined}
            loading={action.loading}
            disabled={action.disabled}
            data-testid="coupon-action"
            onClick={() => {
              if (!action.disabled && !action.loading) action.onClick?.();
            }}
          >
            {action.label}
          </Button>
        ) : null}
      </View>
    </View>
  );
}
