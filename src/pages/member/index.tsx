import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { FollowGuide } from '../../components/FollowGuide';
import { MemberCard } from '../../components/MemberCard';
import { type MemberEntry, MemberEntries } from '../../components/MemberEntries';
import { PersonaSwitcher } from '../../components/PersonaSwitcher';
import { StatusView } from '../../components/StatusView';
import { COUPON_WALLET_PAGE } from '../../routes';
import { openPage } from '../../services/navigation';
import { useMemberStore } from '../../stores/useMemberStore';
import { Cell } from '../../ui';
import './index.css';

const ENABLED_ENTRIES: readonly MemberEntry[] = ['coupons'];

export default function MemberCenter() {
  const { member, status, error, failure, summary, login, loadSummary, reset } = useMemberStore();
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
      <StatusView status={status} error={error} errorCode={failure?.code} onRetry={() => void refresh()}>
        {member ? (
          <>
            <MemberCard member={member} />
            <FollowGuide follows={member.followsMp} mpName={DUET_MP_NAME} />
            {/* Orders and points turn their entries on as they land. */}
            <MemberEntries
              points={member.points}
              summary={summary}
              enabled={ENABLED_ENTRIES}
              onOpen={(entry) => {
                if (entry === 'coupons') void openPage(COUPON_WALLET_PAGE);
              }}
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
