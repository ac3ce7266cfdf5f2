import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { MallGrid } from '../../../components/MallGrid';
import { StatusView } from '../../../components/StatusView';
import { MALL_ITEM_PAGE, MY_EXCHANGES_PAGE, POINTS_CENTER_PAGE } from '../../../routes';
import { openPage } from '../../../services/navigation';
import { useMemberStore } from '../../../stores/useMemberStore';
import { usePointsMallStore } from '../../../stores/usePointsMallStore';
import './index.css';

/** The points mall (the storefront's 积分商城 entry): the member's balance, then what points buy. */
export default function PointsMall() {
  const { status, items, balance, error, failure, load } = usePointsMallStore();
  const refresh = async () => {
    if (!useMemberStore.getState().member) await useMemberStore.getState().login();
    await load();
  };
  // Every visit refreshes: the balance and what is left change after each exchange.
  useDidShow(() => void refresh());
  return (
    <View className="points-mall" data-testid="points-mall">
      <StatusView status={status} error={error} errorCode={failure?.code} onRetry={() => void refresh()}>
        <View className="points-mall__bar">
          <View className="points-mall__balance" onClick={() => void openPage(POINTS_CENTER_PAGE)} data-testid="mall-balance">
            <Text className="points-mall__label">我的积分</Text>
            <Text className="points-mall__points" data-testid="mall-balance-points">
              {balance}
            </Text>
            <Text className="points-mall__earn">去赚积分 ›</Text>
          </View>
          <View className="points-mall__mine" onClick={() => void openPage(MY_EXCHANGES_PAGE)} data-testid="mall-to-exchanges">
            <Text>我的兑换</Text>
            <Text className="points-mall__chevron">›</Text>
          </View>
        </View>
        <StatusView
          status="ready"
          empty={items.length === 0}
          emptyText="积分好礼正在上新，先去签到攒积分吧"
          emptyAction={{ label: '去签到', onClick: () => void openPage(POINTS_CENTER_PAGE) }}
        >
          <MallGrid items={items} onOpen={(item) => void openPage(MALL_ITEM_PAGE, { id: item.itemId })} />
        </StatusView>
      </StatusView>
    </View>
  );
}
