import { Text, View } from '@tarojs/components';
import type { MemberView } from '../../../core/contracts/member';
import { Tag } from '../../ui';
import './index.css';

export interface MemberCardProps {
  member: MemberView;
}

/** Who I am: the member the cloud resolved for this WeChat user. */
export function MemberCard({ member }: MemberCardProps) {
  return (
    <View className="member-card" data-testid="member-card">
      <View className="member-card__name">
        <Text>{member.nickname}</Text>
        {member.followsMp ? <Tag type="success">已关注公众号</Tag> : <Tag type="default">未关注公众号</Tag>}
      </View>
      <View className="member-card__row">
        <Text className="member-card__label">会员号</Text>
        <Text className="member-card__value" data-testid="member-id">
          {member.memberNo}
        </Text>
      </View>
      <View className="member-card__row">
        <Text className="member-card__label">积分</Text>
        <Text className="member-card__value" data-testid="member-points">
          {member.points}
        </Text>
      </View>
    </View>
  );
}
