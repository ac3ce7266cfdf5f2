import { Text, View } from '@tarojs/components';
import type { ActivityView } from '../../../core/contracts/groupbuy';
import { Price, yuanOf } from '../../ui';
import './index.css';

type GroupSku = ActivityView['skus'][number];

export interface GroupSkuChoiceProps {
  skus: readonly GroupSku[];
  /** The chosen SKU's id, or null before a choice. */
  selected: string | null;
  onSelect: (skuId: string) => void;
}

/** What a SKU is called to a reader: its spec values (樱粉 350ml); a SKU without specs is 默认. */
export function skuLabel(sku: Pick<GroupSku, 'specs'>): string {
  const values = Object.values(sku.specs);
  return values.length > 0 ? values.join(' ') : '默认';
}

/**
 * The activity's SKUs as one row of choices, each with its group price: a seat is one unit, so
 * there is no quantity; a sold-out SKU stays visible but cannot be chosen.
 */
export function GroupSkuChoice({ skus, selected, onSelect }: GroupSkuChoiceProps) {
  return (
    <View className="group-sku" data-testid="group-sku-choice">
      {skus.map((sku) => {
        const on = sku.skuId === selected;
        const off = sku.stock <= 0;
        return (
          <View
            key={sku.skuId}
            className={`group-sku__value${on ? ' group-sku__value--on' : ''}${off ? ' group-sku__value--off' : ''}`}
            data-testid={`group-sku-${sku.skuId}`}
            aria-disabled={off}
            onClick={() => {
              if (!off) onSelect(sku.skuId);
            }}
          >
            <Text>{skuLabel(sku)}</Text>
            {off ? <Text className="group-sku__note">已售罄</Text> : <Price price={yuanOf(sku.groupPrice)} size="small" />}
          </View>
        );
      })}
    </View>
  );
}
