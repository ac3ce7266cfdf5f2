import { Text, View } from '@tarojs/components';
import './index.css';

export interface FollowGuideProps {
  follows: boolean;
  /** The 公众号's display name. */
  mpName: string;
}

/** Whether the member follows the 公众号 and, if not, why and how to follow. */
export function FollowGuide({ follows, mpName }: FollowGuideProps) {
  if (follows) {
    return (
      <View className="follow-guide follow-guide--done" data-testid="follow-status">
        <Text>已关注公众号「{mpName}」，活动和福利会第一时间通知你</Text>
      </View>
    );
  }
  return (
    <View className="follow-guide" data-testid="follow-status">
      <Text className="follow-guide__title">还没有关注公众号「{mpName}」</Text>
      <Text className="follow-guide__why">关注后可第一时间收到活动、拼团结果和积分提醒，关注还能获得积分奖励。</Text>
      <Text className="follow-guide__how">关注方法：在微信搜索「{mpName}」，或打开任意一篇文章，点击文章顶部的公众号名称后关注。</Text>
    </View>
  );
}
