import { Text, View } from '@tarojs/components';
import { savingOf } from '../../../core/groupbuy/rules';
import { Price, yuanOf } from '../../ui';
import './index.css';

export interface GroupPriceProps {
  /** Fen. */
  groupPrice: number;
  /** The SKU's own price (fen), struck through beside the group price. */
  originalPrice: number;
  /** `large` on the activity and invite pages, `normal` in lists. */
  size?: 'normal' | 'large';
  /** Says 立省 ¥X in words (on by default); off where the space is short. */
  saving?: boolean;
}

/** The group price in the brand colour, the original struck through, and what the reader saves. */
export function GroupPrice({ groupPrice, originalPrice, size = 'normal', saving = true }: GroupPriceProps) {
  const saved = savingOf(originalPrice, groupPrice);
  return (
    <View className={`group-price group-price--${size}`} data-testid="group-price">
      <Price price={yuanOf(groupPrice)} size={size === 'large' ? 'xlarge' : 'large'} />
      {saved > 0 ? (
        <>
          <Price className="group-price__original" price={yuanOf(originalPrice)} size="small" color="gray" line />
          {saving ? (
            <Text className="group-price__saving" data-testid="group-saving">
              立省 ¥{(saved / 100).toFixed(2)}
            </Text>
          ) : null}
        </>
      ) : null}
    </View>
  );
}
