import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { MemberCard } from '../../components/MemberCard';
import { PersonaSwitcher } from '../../components/PersonaSwitcher';
import { StatusView } from '../../components/StatusView';
import { useMemberStore } from '../../stores/useMemberStore';
import { Cell } from '../../ui';
import './index.css';

export default function MemberCenter() {
  const { member, status, error, login, reset } = useMemberStore();
  useDidShow(() => {
    if (status !== 'loading' && status !== 'ready') void login();
  });
  return (
    <View className="member-center">
      {process.env.TARO_ENV === 'h5' ? (
        <PersonaSwitcher
          onChange={() => {
            reset();
            void useMemberStore.getState().login();
          }}
        />
      ) : null}
      <StatusView status={status} error={error} onRetry={() => void login()}>
        {member ? (
          <>
            <MemberCard member={member} />
            <Cell.Group>
              <Cell title="我的资料" extra="查看" onClick={() => void Taro.navigateTo({ url: '/packages/member/profile/index' })} />
            </Cell.Group>
          </>
        ) : null}
      </StatusView>
    </View>
  );
}
