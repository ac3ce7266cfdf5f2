import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { MyGroupView } from '../../../core/contracts/groupbuy';
import { remainingMs } from '../../stores/order-clock';
import { groupTag } from '../../stores/useMyGroupsStore';
// Pictures and prices before the avatars, as on every group-buy page: one stylesheet order for the package.
import { GroupCover } from '../GroupCover';
import { GroupPrice } from '../GroupPrice';
import { GroupAvatars } from '../GroupAvatars';
import { PayCountdown } from '../PayCountdown';
import './index.css';

export interface MyGroupCardProps {
  view: MyGroupView;
  /** Server clock minus phone clock when the list was read. */
  offsetMs: number;
  onOpen: (view: MyGroupView) => void;
}

/** One of the member's groups: the product, its state in words, and while it runs who is in and the time left. */
export function MyGroupCard({ view, offsetMs, onOpen }: MyGroupCardProps) {
  const { group, activity } = view;
  const tag = groupTag(view);
  const [left] = useState(() => remainingMs(group.deadline, offsetMs));
  const [over, setOver] = useState(left <= 0);
  const live = group.state === 'open' && group.missing > 0 && !over;
  return (
    <View className="my-group" data-testid={`my-group-${group.groupId}`} onClick={() => onOpen(view)}>
      <View className="my-group__head">
        <Text className="my-group__size">{group.size}人团</Text>
        <Text className={`my-group__tag my-group__tag--${tag.tone}`} data-testid="my-group-tag">
          {tag.text}
        </Text>
      </View>
      <View className="my-group__main">
        <GroupCover imageUrl={activity.imageUrl} name={activity.productName} />
        <View className="my-group__body">
          <Text className="my-group__name">{activity.productName}</Text>
          <GroupPrice groupPrice={activity.groupPrice} originalPrice={activity.originalPrice} saving={false} />
        </View>
      </View>
      {live ? (
        <View className="my-group__live">
          <GroupAvatars members={group.seats} free={group.free} max={5} />
          <View className="my-group__missing">
            <Text>
              还差 <Text className="my-group__count">{group.missing}</Text> 人
            </Text>
            <Text className="my-group__time">
              <PayCountdown remainingMs={left} onEnd={() => setOver(true)} before="" after="后结束" />
            </Text>
          </View>
        </View>
      ) : null}
    </View>
  );
}
