import { Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import './index.css';

export interface GroupCoverProps {
  imageUrl: string | null;
  /** For the placeholder when there is no picture (or it fails): the product's first character. */
  name: string;
  /** `square` in lists (a fixed 176 px side), `wide` on a page (full width). */
  shape?: 'square' | 'wide';
}

/** A product picture for group-buy cards; a missing or broken one shows a quiet placeholder, never a broken-image icon. */
export function GroupCover({ imageUrl, name, shape = 'square' }: GroupCoverProps) {
  const [broken, setBroken] = useState(false);
  return (
    <View className={`group-cover group-cover--${shape}`}>
      {imageUrl && !broken ? (
        <Image className="group-cover__image" src={imageUrl} mode="aspectFill" lazyLoad onError={() => setBroken(true)} />
      ) : (
        <View className="group-cover__placeholder" data-testid="group-cover-placeholder">
          <Text>{[...name][0] ?? ''}</Text>
        </View>
      )}
    </View>
  );
}
