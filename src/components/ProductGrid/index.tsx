import { Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { ProductCard } from '../../../core/contracts/shop';
import { Price, yuanOf } from '../../ui';
import './index.css';

export interface ProductGridProps {
  products: readonly ProductCard[];
  onOpen: (product: ProductCard) => void;
}

export interface ProductTileProps {
  product: ProductCard;
  onOpen: (product: ProductCard) => void;
}

/** Products in two columns, as storefronts show them: picture, name, price from. */
export function ProductGrid({ products, onOpen }: ProductGridProps) {
  return (
    <View className="product-grid" data-testid="product-grid">
      {products.map((product) => (
        <ProductTile key={product.productId} product={product} onOpen={onOpen} />
      ))}
    </View>
  );
}

/** One product; a sold-out one stays (people come back for it) but says so over its picture. */
export function ProductTile({ product, onOpen }: ProductTileProps) {
  // A picture that fails to load shows the quiet placeholder, never a broken-image icon.
  const [broken, setBroken] = useState(false);
  const image = product.imageUrl && !broken ? product.imageUrl : null;
  return (
    <View
      className={`product-tile${product.soldOut ? ' product-tile--sold-out' : ''}`}
      data-testid={`product-${product.productId}`}
      onClick={() => onOpen(product)}
    >
      <View className="product-tile__picture">
        {image ? (
          <Image className="product-tile__image" src={image} mode="aspectFill" lazyLoad onError={() => setBroken(true)} />
        ) : (
          <View className="product-tile__placeholder" data-testid="product-placeholder">
            <Text>{[...product.name][0] ?? ''}</Text>
          </View>
        )}
        {product.soldOut ? (
          <View className="product-tile__stamp" data-testid="product-sold-out">
            <Text>已售罄</Text>
          </View>
        ) : null}
      </View>
      <View className="product-tile__body">
        <Text className="product-tile__name" data-testid="product-name">
          {product.name}
        </Text>
        <View className="product-tile__price" data-testid="product-price">
          <Price price={yuanOf(product.priceFrom)} size="normal" />
          {product.priceTo > product.priceFrom ? <Text className="product-tile__from">起</Text> : null}
        </View>
      </View>
    </View>
  );
}
