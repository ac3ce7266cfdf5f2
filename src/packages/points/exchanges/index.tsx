import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { ExchangeCard } from '../../../components/ExchangeCard';
import { StatusView } from '../../../components/StatusView';
import { ORDER_DETAIL_PAGE, POINTS_MALL_PAGE, PRODUCT_LIST_PAGE } from '../../../routes';
import { openPage } from '../../../services/navigation';
import { useMemberStore } from '../../../stores/useMemberStore';
import { useMyExchangesStore } from '../../../stores/useMyExchangesStore';
import './index.css';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2500 });

/** 我的兑换: the member's exchanges, newest first, each with its next step (去使用, 去支付, 查看订单). */
export default function MyExchanges() {
  const { status, exchanges, error, failure, paying, load, pay } = useMyExchangesStore();
  const refresh = async () => {
    if (!useMemberStore.getState().member) await useMemberStore.getState().login();
    await load();
  };
  // Every visit refreshes: an order may have been paid, shipped or cancelled meanwhile.
  useDidShow(() => void refresh());
  return (
    <View className="my-exchanges" data-testid="my-exchanges">
      <StatusView
        status={status}
        error={error}
        errorCode={failure?.code}
        onRetry={() => void refresh()}
        empty={exchanges.length === 0}
        emptyText="还没有兑换过，积分可以换好券和好物"
        emptyAction={{ label: '去积分商城', onClick: () => void openPage(POINTS_MALL_PAGE) }}
      >
        {exchanges.map((exchange) => (
          <ExchangeCard
            key={exchange.exchangeId}
            exchange={exchange}
            paying={paying?.exchangeId === exchange.exchangeId}
            busy={paying !== null}
            // A coupon is spent on the shelf: checkout picks the best one by itself.
            onUse={() => void openPage(PRODUCT_LIST_PAGE)}
            onOrder={(chosen) => void openPage(ORDER_DETAIL_PAGE, { id: chosen.orderId as string })}
            onPay={(chosen) =>
              void pay(chosen).then((outcome) => {
                if (outcome.kind !== 'busy') toast(outcome.message);
              })
            }
          />
        ))}
      </StatusView>
    </View>
  );
}
