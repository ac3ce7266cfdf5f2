import { Text, View } from '@tarojs/components';
import type { ActivityCard } from '../../../core/contracts/groupbuy';
import { GroupCover } from '../GroupCover';
import { GroupPrice } from '../GroupPrice';
import './index.css';

export interface GroupActivityCardProps {
  card: ActivityCard;
  onOpen: (card: ActivityCard) => void;
}

/** One running group-buy in the list: picture, name, N人团, group price against the original, and how many groups are open. */
export function GroupActivityCard({ card, onOpen }: GroupActivityCardProps) {
  const { activity, openGroups } = card;
  const soldOut = activity.stockLeft <= 0;
  return (
    <View className="group-activity-card" data-testid={`group-activity-${activity.activityId}`} onClick={() => onOpen(card)}>
      <GroupCover imageUrl={activity.imageUrl} name={activity.productName} />
      <View className="group-activity-card__body">
        <Text className="group-activity-card__name" data-testid="group-activity-name">
          {activity.productName}
        </Text>
        <View className="group-activity-card__tags">
          <Text className="group-activity-card__size">{activity.size}人团</Text>
          <Text className="group-activity-card__open" data-testid="group-activity-open">
            {soldOut ? '已抢光' : openGroups > 0 ? `${openGroups}个团正在拼` : '快来开团'}
          </Text>
        </View>
        <GroupPrice groupPrice={activity.groupPrice} originalPrice={activity.originalPrice} />
      </View>
    </View>
  );
}
