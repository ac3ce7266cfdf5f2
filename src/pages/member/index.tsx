import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { FollowGuide } from '../../components/FollowGuide';
import { MemberCard } from '../../components/MemberCard';
import { type MemberEntry, MemberEntries } from '../../components/MemberEntries';
import { OrderShortcuts } from '../../components/OrderShortcuts';
import { PersonaSwitcher } from '../../components/PersonaSwitcher';
import { StatusView } from '../../components/StatusView';
import {
  BARGAIN_TASK_PAGE,
  COUPON_WALLET_PAGE,
  HELP_TASK_PAGE,
  MY_DRAWS_PAGE,
  MY_EXCHANGES_PAGE,
  MY_GROUPS_PAGE,
  ORDER_LIST_PAGE,
  POINTS_CENTER_PAGE,
  POINTS_MALL_PAGE,
} from '../../routes';
import { openPage } from '../../services/navigation';
import { useMemberStore } from '../../stores/useMemberStore';
import { useOrderCountsStore } from '../../stores/useOrderCountsStore';
import { Cell } from '../../ui';
import './index.css';

const ENABLED_ENTRIES: readonly MemberEntry[] = ['points', 'coupons'];
// Orders have their own block (OrderShortcuts) with a count per state.
const SHOWN_ENTRIES: readonly MemberEntry[] = ['points', 'coupons'];

export default function MemberCenter() {
  const { member, status, error, failure, summary, login, loadSummary, reset } = useMemberStore();
  const orderCounts = useOrderCountsStore((state) => state.counts);
  const loadOrderCounts = useOrderCountsStore((state) => state.load);
  const refresh = async () => {
    await login();
    if (useMemberStore.getState().status === 'ready') await Promise.all([loadSummary(), loadOrderCounts()]);
  };
  // Opened straight from a link, the page meets the launch's login in flight: it waits for that one, then the counts.
  useDidShow(() => void refresh());
  return (
    <View className="member-center">
      {process.env.TARO_ENV === 'h5' ? (
        <PersonaSwitcher
          onChange={() => {
            reset();
            void refresh();
          }}
        />
      ) : null}
      <StatusView status={status} error={error} errorCode={failure?.code} onRetry={() => void refresh()}>
        {member ? (
          <>
            <MemberCard member={member} />
            <FollowGuide follows={member.followsMp} mpName={DUET_MP_NAME} />
            <MemberEntries
              points={member.points}
              summary={summary}
              enabled={ENABLED_ENTRIES}
              shown={SHOWN_ENTRIES}
              onOpen={(entry) => {
                if (entry === 'points') void openPage(POINTS_CENTER_PAGE);
                if (entry === 'coupons') void openPage(COUPON_WALLET_PAGE);
              }}
            />
            <OrderShortcuts counts={orderCounts} onOpen={(tab) => void openPage(ORDER_LIST_PAGE, tab === 'all' ? {} : { state: tab })} />
            <Cell.Group>
              <Cell title="积分商城" extra="积分兑好礼" onClick={() => void openPage(POINTS_MALL_PAGE)} />
              <Cell title="我的兑换" extra="查看" onClick={() => void openPage(MY_EXCHANGES_PAGE)} />
              <Cell title="我的拼团" extra="查看" onClick={() => void openPage(MY_GROUPS_PAGE)} />
              <Cell title="我的助力" extra="查看" onClick={() => void openPage(HELP_TASK_PAGE)} />
              <Cell title="我的砍价" extra="查看" onClick={() => void openPage(BARGAIN_TASK_PAGE)} />
              <Cell title="我的抽奖" extra="查看" onClick={() => void openPage(MY_DRAWS_PAGE)} />
              <Cell title="消息提醒" extra="查看" onClick={() => void Taro.navigateTo({ url: '/packages/member/reminders/index' })} />
              <Cell title="我的资料" extra="查看" onClick={() => void Taro.navigateTo({ url: '/packages/member/profile/index' })} />
            </Cell.Group>
          </>
        ) : null}
      </StatusView>
    </View>
  );
}
