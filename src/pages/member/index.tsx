import { View } from '@tarojs/components';
import type { MemberSummary } from '../../../core/contracts/member';
import Taro, { useDidShow } from '@tarojs/taro';
import { FollowGuide } from '../../components/FollowGuide';
import { MemberCard } from '../../components/MemberCard';
import { MemberEntries } from '../../components/MemberEntries';
import { PersonaSwitcher } from '../../components/PersonaSwitcher';
import { StatusView } from '../../components/StatusView';
import { useMemberStore } from '../../stores/useMemberStore';
import { Cell } from '../../ui';
import './index.css';

type Entry = 'points' | 'coupons' | 'orders';

/** What tapping an entry tells the member until its own page exists. */
function entryMessage(entry: Entry, points: number, summary: MemberSummary | null): string {
  if (entry === 'points') return points > 0 ? `你有 ${points} 积分` : '关注公众号、签到和购物都能赚积分';
  if (entry === 'coupons')
    return summary?.usableCoupons ? `你有 ${summary.usableCoupons} 张可用优惠券` : '还没有可用的优惠券，去活动页领取吧';
  return summary?.orders ? `你有 ${summary.orders} 笔订单` : '还没有订单';
}

export default function MemberCenter() {
  const { member, status, error, summary, login, loadSummary, reset } = useMemberStore();
  const refresh = async () => {
    await login();
    if (useMemberStore.getState().status === 'ready') await loadSummary();
  };
  useDidShow(() => {
    if (status !== 'loading') void refresh();
  });
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
      <StatusView status={status} error={error} onRetry={() => void refresh()}>
        {member ? (
          <>
            <MemberCard member={member} />
            <FollowGuide follows={member.followsMp} mpName={DUET_MP_NAME} />
            <MemberEntries
              points={member.points}
              summary={summary}
              onOpen={(entry) => void Taro.showToast({ title: entryMessage(entry, member.points, summary), icon: 'none' })}
            />
            <Cell.Group>
              <Cell title="我的资料" extra="查看" onClick={() => void Taro.navigateTo({ url: '/packages/member/profile/index' })} />
            </Cell.Group>
          </>
        ) : null}
      </StatusView>
    </View>
  );
}
