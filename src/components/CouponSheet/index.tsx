import { Text, View } from '@tarojs/components';
import type { QuoteView } from '../../../core/contracts/order';
import { Price, yuanOf } from '../../ui';
import './index.css';

export interface CouponSheetProps {
  quote: Pick<QuoteView, 'coupon' | 'applicable' | 'inapplicable'>;
  /** A coupon id, or 'none' for 不使用优惠券. */
  onChoose: (choice: string) => void;
}

/**
 * The checkout's coupon list: every coupon that applies with what it takes off, the best first
 * and labelled 最优; those that do not apply greyed with why; and 不使用优惠券. The applied one is ticked.
 */
export function CouponSheet({ quote, onChoose }: CouponSheetProps) {
  const applied = quote.coupon?.couponId ?? null;
  const best = quote.applicable[0]?.couponId ?? null;
  return (
    <View className="coupon-sheet" data-testid="coupon-sheet">
      {quote.applicable.length > 0 ? <Text className="coupon-sheet__heading">可用优惠券（{quote.applicable.length}）</Text> : null}
      {quote.applicable.map((option) => (
        <View
          key={option.couponId}
          className={`coupon-sheet__row${option.couponId === applied ? ' coupon-sheet__row--on' : ''}`}
          data-testid={`coupon-option-${option.couponId}`}
          onClick={() => onChoose(option.couponId)}
        >
          <View className="coupon-sheet__text">
            <View className="coupon-sheet__title">
              <Text className="coupon-sheet__name">{option.name}</Text>
              {option.couponId === best ? (
                <Text className="coupon-sheet__best" data-testid="coupon-best">
                  最优
                </Text>
              ) : null}
            </View>
            <View className="coupon-sheet__saving">
              <Text>可减</Text>
              <Price price={yuanOf(option.discount)} size="normal" />
            </View>
          </View>
          <View className={`coupon-sheet__tick${option.couponId === applied ? ' coupon-sheet__tick--on' : ''}`}>
            <Text>{option.couponId === applied ? '✓' : ''}</Text>
          </View>
        </View>
      ))}
      <View
        className={`coupon-sheet__row${applied === null ? ' coupon-sheet__row--on' : ''}`}
        data-testid="coupon-option-none"
        onClick={() => onChoose('none')}
      >
        <Text className="coupon-sheet__name">不使用优惠券</Text>
        <View className={`coupon-sheet__tick${applied === null ? ' coupon-sheet__tick--on' : ''}`}>
          <Text>{applied === null ? '✓' : ''}</Text>
        </View>
      </View>
      {quote.inapplicable.length > 0 ? <Text className="coupon-sheet__heading">不可用优惠券（{quote.inapplicable.length}）</Text> : null}
      {quote.inapplicable.map((option) => (
        <View key={option.couponId} className="coupon-sheet__row coupon-sheet__row--off" data-testid={`coupon-option-${option.couponId}`}>
          <View className="coupon-sheet__text">
            <Text className="coupon-sheet__name">{option.name}</Text>
            <Text className="coupon-sheet__reason">{option.message}</Text>
          </View>
        </View>
      ))}
    </View>
  );
}
