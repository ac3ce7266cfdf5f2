import { Image, ScrollView, Text, View } from '@tarojs/components';
import { useState } from 'react';
import './index.css';

export interface ProductGalleryProps {
  imageUrls: readonly string[];
  /** For the placeholder when there is no picture: the product's first character. */
  name: string;
}

/**
 * The product's pictures, one screen wide, swiped page by page with a 1/3 counter. A paging
 * ScrollView rather than a Swiper: the app already draws ScrollViews, while a Swiper's templates
 * would add 7 KB to the main package that every reader downloads first.
 */
export function ProductGallery({ imageUrls, name }: ProductGalleryProps) {
  const [index, setIndex] = useState(0);
  const [broken, setBroken] = useState<Record<string, true>>({});
  const shown = imageUrls.filter((url) => !broken[url]);
  if (shown.length === 0) {
    return (
      <View className="product-gallery product-gallery--none" data-testid="gallery-placeholder">
        <Text>{[...name][0] ?? ''}</Text>
      </View>
    );
  }
  return (
    <View className="product-gallery" data-testid="product-gallery">
      <ScrollView
        className="product-gallery__track"
        scrollX
        enhanced
        pagingEnabled
        showScrollbar={false}
        onScroll={(event) => {
          const { scrollLeft, scrollWidth } = event.detail;
          if (scrollWidth > 0) setIndex(Math.min(shown.length - 1, Math.max(0, Math.round(scrollLeft / (scrollWidth / shown.length)))));
        }}
      >
        {shown.map((url) => (
          <Image
            key={url}
            className="product-gallery__image"
            src={url}
            mode="aspectFill"
            onError={() => setBroken((current) => ({ ...current, [url]: true }))}
          />
        ))}
      </ScrollView>
      {shown.length > 1 ? (
        <Text className="product-gallery__counter" data-testid="gallery-counter">
          {index + 1}/{shown.length}
        </Text>
      ) : null}
    </View>
  );
}
