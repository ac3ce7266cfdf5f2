import { Text, View } from '@tarojs/components';
import { Price, yuanOf } from '../../ui';
import './index.css';

export interface PointsPriceProps {
  points: number;
  /** The cash part (fen); 0 when the item is points only. */
  cash: number;
  /** The product's own price (fen), struck through beside it. */
  originalPrice?: number | null;
  /** `large` on the item page, `normal` in lists. */
  size?: 'normal' | 'large';
}

/** What an item costs: points in the brand colour, plus ¥ for the cash part, the product's own price struck through. */
export function PointsPrice({ points, cash, originalPrice = null, size = 'normal' }: PointsPriceProps) {
  return (
    <View className={`points-price points-price--${size}`} data-testid="points-price">
      <View className="points-price__main">
        <Text className="points-price__points" data-testid="points-price-points">
          {points}
        </Text>
        <Text className="points-price__unit">积分</Text>
        {cash > 0 ? (
          <>
            <Text className="points-price__plus">+</Text>
            <Price price={yuanOf(cash)} size={size === 'large' ? 'large' : 'normal'} />
          </>
        ) : null}
      </View>
      {originalPrice ? <Price className="points-price__original" price={yuanOf(originalPrice)} size="small" color="gray" line /> : null}
    </View>
  );
}
