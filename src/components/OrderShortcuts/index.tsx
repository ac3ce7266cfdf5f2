import { Text, View } from '@tarojs/components';
import './index.css';

/** The order list's tabs a shortcut opens (the list page's `state` query). */
export type OrderShortcut = 'all' | 'created' | 'paid' | 'shipped' | 'completed' | 'refund';

export interface OrderShortcutsProps {
  /** Orders per state (`order.counts`); null while loading or when it failed: no numbers then. */
  counts: Record<string, number> | null;
  onOpen: (tab: OrderShortcut) => void;
}

const SHORTCUTS: ReadonlyArray<{ tab: Exclude<OrderShortcut, 'all'>; label: string; states: readonly string[] }> = [
  { tab: 'created', label: '待付款', states: ['created'] },
  { tab: 'paid', label: '待发货', states: ['paid'] },
  { tab: 'shipped', label: '待收货', states: ['shipped'] },
  { tab: 'completed', label: '已完成', states: ['completed'] },
  { tab: 'refund', label: '退款', states: ['refunding', 'refunded'] },
];

/** 我的订单 in the member center: how many orders wait in each state, each leading to its tab. */
export function OrderShortcuts({ counts, onOpen }: OrderShortcutsProps) {
  return (
    <View className="order-shortcuts" data-testid="order-shortcuts">
      <View className="order-shortcuts__head" onClick={() => onOpen('all')} data-testid="order-shortcut-all">
        <Text className="order-shortcuts__title">我的订单</Text>
        <View className="order-shortcuts__all">
          <Text>全部订单</Text>
          <Text className="order-shortcuts__chevron">›</Text>
        </View>
      </View>
      <View className="order-shortcuts__row">
        {SHORTCUTS.map(({ tab, label, states }) => {
          const count = counts ? states.reduce((sum, state) => sum + (counts[state] ?? 0), 0) : null;
          return (
            <View key={tab} className="order-shortcuts__item" onClick={() => onOpen(tab)} data-testid={`order-shortcut-${tab}`}>
              <Text className={`order-shortcuts__count${count ? ' order-shortcuts__count--some' : ''}`} data-testid="order-shortcut-count">
                {count === null ? '—' : String(count)}
              </Text>
              <Text className="order-shortcuts__label">{label}</Text>
            </View>
          );
        })}
      </View>
    </View>
  );
}
