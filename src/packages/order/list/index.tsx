import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { OrderView } from '../../../../core/contracts/order';
import { OrderCard } from '../../../components/OrderCard';
import { StatusView } from '../../../components/StatusView';
import { ORDER_DETAIL_PAGE, PRODUCT_LIST_PAGE } from '../../../routes';
import { openPage, pageParams } from '../../../services/navigation';
import { EMPTY_ORDER_LIST, ORDER_TABS, type OrderTab, tabOfParam, useOrderListStore } from '../../../stores/useOrderListStore';
import { Tabs } from '../../../ui/tabs';
import './index.css';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none' });

/** The member's orders by state (query `state`: a tab or an order state). */
export default function OrderList() {
  const [tab, setTab] = useState<OrderTab>(() => tabOfParam(pageParams().state));
  const { lists, acting, load, pay, confirmReceipt } = useOrderListStore();
  // Every visit refreshes the tab shown: an order may have been paid, shipped or refunded meanwhile.
  useDidShow(() => void load(tab));

  const list = lists[tab] ?? EMPTY_ORDER_LIST;
  const browse = { label: '去逛逛', onClick: () => void openPage(PRODUCT_LIST_PAGE) };
  const open = (order: OrderView) => void openPage(ORDER_DETAIL_PAGE, { id: order.orderId });
  const switchTo = (next: OrderTab) => {
    setTab(next);
    void load(next);
  };
  const onPay = async (order: OrderView) => {
    const outcome = await pay(order.orderId, tab);
    if (outcome.kind !== 'busy') toast(outcome.message);
  };
  const onConfirm = async (order: OrderView) => {
    const { confirm } = await Taro.showModal({
      title: '确认收货',
      content: '请确认已收到商品，确认后订单完成',
      confirmText: '确认收货',
      cancelText: '再想想',
      // The brand's colour on the confirming button, not WeChat's default green.
      confirmColor: '#e4393c',
    });
    if (!confirm) return;
    const outcome = await confirmReceipt(order.orderId, tab);
    if (outcome.kind !== 'busy') toast(outcome.message);
  };

  return (
    <View className="order-list" data-testid="order-list">
      <Tabs value={tab} onChange={(value) => switchTo(value as OrderTab)} activeType="line" duration={0}>
        {ORDER_TABS.map(({ tab: name, title, empty }) => (
          <Tabs.TabPane key={name} value={name} title={title}>
            {/*
              Only the tab shown is drawn: six lists of cards at once would slow the page for nothing. The
              others hold an empty View: NutUI drops a pane without children, and the panes would shift.
            */}
            {name === tab ? (
              <View className="order-list__pane" data-testid={`orders-${name}`}>
                <StatusView
                  status={list.status}
                  error={list.error}
                  errorCode={list.failure?.code}
                  onRetry={() => void load(tab)}
                  empty={list.orders.length === 0}
                  emptyText={empty}
                  emptyAction={browse}
                >
                  {list.orders.map((order) => (
                    <OrderCard
                      key={order.orderId}
                      order={order}
                      offsetMs={list.offsetMs}
                      acting={acting[order.orderId] ?? null}
                      onOpen={open}
                      onPay={(o) => void onPay(o)}
                      onConfirmReceipt={(o) => void onConfirm(o)}
                    />
                  ))}
                </StatusView>
              </View>
            ) : (
              <View />
            )}
          </Tabs.TabPane>
        ))}
      </Tabs>
    </View>
  );
}
