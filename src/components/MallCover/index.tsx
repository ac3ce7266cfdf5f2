import { Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { MallItemKind } from '../../../core/points/mall';
import './index.css';

export interface MallCoverProps {
  imageUrl: string | null;
  /** For the placeholder: a product's first character. */
  title: string;
  kind: MallItemKind;
  /** `tile` in the mall's grid (square), `wide` on the item page (5:4), `thumb` in lists (a 144 px square). */
  shape?: 'tile' | 'wide' | 'thumb';
}

/**
 * A mall item's picture. Without one (or when it fails to load) a quiet placeholder, never a
 * broken-image icon: a coupon shows as a coupon (券 on the brand's tint), a product its first character.
 */
export function MallCover({ imageUrl, title, kind, shape = 'tile' }: MallCoverProps) {
  const [broken, setBroken] = useState(false);
  const coupon = kind === 'coupon';
  return (
    <View className={`mall-cover mall-cover--${shape}`}>
      {imageUrl && !broken ? (
        <Image className="mall-cover__image" src={imageUrl} mode="aspectFill" lazyLoad onError={() => setBroken(true)} />
      ) : (
        <View className={`mall-cover__placeholder${coupon ? ' mall-cover__placeholder--coupon' : ''}`} data-testid="mall-cover-placeholder">
          <Text>{coupon ? '券' : ([...title][0] ?? '')}</Text>
        </View>
      )}
    </View>
  );
}
