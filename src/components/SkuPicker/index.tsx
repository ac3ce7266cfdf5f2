import { Image, Text, View } from '@tarojs/components';
import type { ProductView } from '../../../core/contracts/shop';
import {
  isValueAvailable,
  LOW_STOCK,
  maxQuantity,
  missingSpecs,
  priceRange,
  type SpecSelection,
  selectedSku,
} from '../../stores/useProductStore';
import { Price, yuanOf } from '../../ui';
import { InputNumber } from '../../ui/stepper';
import './index.css';

export interface SkuPickerProps {
  product: ProductView;
  selected: SpecSelection;
  quantity: number;
  onSelect: (name: string, value: string) => void;
  onQuantity: (quantity: number) => void;
}

/**
 * The SKU sheet's content: the chosen SKU's price and picture, each spec's values (those that
 * cannot be bought with the others chosen are disabled), stock when it runs low, and the quantity.
 */
export function SkuPicker({ product, selected, quantity, onSelect, onQuantity }: SkuPickerProps) {
  const sku = selectedSku(product, selected);
  const range = priceRange(product);
  const missing = missingSpecs(product, selected);
  const max = maxQuantity(sku);
  const image = product.imageUrls[0];
  return (
    <View className="sku-picker" data-testid="sku-picker">
      <View className="sku-picker__head">
        {image ? (
          <Image className="sku-picker__image" src={image} mode="aspectFill" />
        ) : (
          <View className="sku-picker__image sku-picker__image--none" />
        )}
        <View className="sku-picker__summary">
          <View className="sku-picker__price" data-testid="sku-price">
            <Price price={yuanOf(sku ? sku.price : range.min)} size="large" />
            {!sku && range.max > range.min ? <Text className="sku-picker__from">起</Text> : null}
          </View>
          {sku && sku.stock <= LOW_STOCK ? (
            <Text className="sku-picker__stock" data-testid="sku-stock">
              {sku.stock > 0 ? `仅剩 ${sku.stock} 件` : '已售罄'}
            </Text>
          ) : null}
          <Text className="sku-picker__chosen" data-testid="sku-chosen">
            {missing.length > 0 ? `请选择 ${missing.join(' ')}` : `已选 ${product.specs.map((spec) => selected[spec.name]).join(' ')}`}
          </Text>
        </View>
      </View>
      {product.specs.map((spec) => (
        <View key={spec.name} className="sku-picker__spec">
          <Text className="sku-picker__spec-name">{spec.name}</Text>
          <View className="sku-picker__values">
            {spec.values.map((value) => {
              const on = selected[spec.name] === value;
              const available = on || isValueAvailable(product, selected, spec.name, value);
              return (
                <View
                  key={value}
                  className={`sku-picker__value${on ? ' sku-picker__value--on' : ''}${available ? '' : ' sku-picker__value--off'}`}
                  data-testid={`sku-value-${spec.name}-${value}`}
                  aria-disabled={!available}
                  onClick={() => {
                    if (available) onSelect(spec.name, value);
                  }}
                >
                  <Text>{value}</Text>
                </View>
              );
            })}
          </View>
        </View>
      ))}
      <View className="sku-picker__quantity">
        <Text className="sku-picker__spec-name">数量</Text>
        <InputNumber
          value={quantity}
          min={1}
          max={Math.max(1, max)}
          disabled={sku !== null && sku.stock <= 0}
          onChange={(value) => onQuantity(Number(value))}
          data-testid="sku-quantity"
        />
      </View>
    </View>
  );
}
