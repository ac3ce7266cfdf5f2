import { Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { OrderLineView } from '../../../core/contracts/order';
import { Price, yuanOf } from '../../ui';
import './index.css';

export interface OrderLinesProps {
  lines: readonly OrderLineView[];
  /** Lines the quote says cannot be bought, by SKU, with why (库存不足，仅剩2件). */
  problems?: Readonly<Record<string, string>>;
}

/** What an order holds: picture, name, the chosen specs, unit price and quantity. */
export function OrderLines({ lines, problems = {} }: OrderLinesProps) {
  return (
    <View className="order-lines" data-testid="order-lines">
      {lines.map((line) => (
        <OrderLineRow key={line.skuId} line={line} problem={problems[line.skuId]} />
      ))}
    </View>
  );
}

function OrderLineRow({ line, problem }: { line: OrderLineView; problem?: string }) {
  const [broken, setBroken] = useState(false);
  const specs = Object.values(line.specs).join(' / ');
  return (
    <View className="order-line" data-testid={`order-line-${line.skuId}`}>
      {line.imageUrl && !broken ? (
        <Image className="order-line__image" src={line.imageUrl} mode="aspectFill" onError={() => setBroken(true)} />
      ) : (
        <View className="order-line__image order-line__image--none">
          <Text>{[...line.name][0] ?? ''}</Text>
        </View>
      )}
      <View className="order-line__body">
        <Text className="order-line__name">{line.name}</Text>
        {specs ? <Text className="order-line__specs">{specs}</Text> : null}
        {problem ? (
          <Text className="order-line__problem" data-testid="order-line-problem">
            {problem}
          </Text>
        ) : null}
        <View className="order-line__foot">
          <Price price={yuanOf(line.unitPrice)} size="normal" color="darkgray" />
          <Text className="order-line__quantity">×{line.quantity}</Text>
        </View>
      </View>
    </View>
  );
}
