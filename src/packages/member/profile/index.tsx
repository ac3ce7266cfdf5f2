import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { StatusView } from '../../../components/StatusView';
import { useMemberStore } from '../../../stores/useMemberStore';
import { Cell } from '../../../ui';

/** Member details: the identity binding a reader may want to check. */
export default function Profile() {
  const { member, status, error, failure, login } = useMemberStore();
  useDidShow(() => {
    if (!member && status !== 'loading') void login();
  });
  return (
    <StatusView status={status} error={error} errorCode={failure?.code} onRetry={() => void login()}>
      {member ? (
        <View data-testid="profile">
          <Cell.Group>
            <Cell title="昵称" extra={member.nickname} />
            <Cell title="会员号" extra={member.memberNo} />
            <Cell title="微信开放平台绑定" extra={member.unionid ? '已绑定' : '未绑定'} />
            <Cell title="公众号" extra={member.followsMp ? '已关注' : '未关注'} />
            <Cell title="入会时间" extra={member.createdAt.slice(0, 10)} />
          </Cell.Group>
        </View>
      ) : null}
    </StatusView>
  );
}
