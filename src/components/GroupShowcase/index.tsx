import { Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { ActivityCard } from '../../../core/contracts/groupbuy';
import { Price, yuanOf } from '../../ui';
import './index.css';

export interface GroupShowcaseProps {
  /** Running activities as `groupbuy.list` answers them. */
  cards: readonly ActivityCard[];
  /** How many rows the storefront shows: it is a teaser, the list page has the rest. */
  max?: number;
  onOpen: (card: ActivityCard) => void;
}

/**
 * The storefront's 拼团 rows: activities with groups to join first, each with the closest group's
 * members and 还差 N 人. Drawn with what the main package already carries, with its own few initials
 * (not GroupAvatars, whose invite-page layout would then ship in the main package) and no countdown:
 * every reader downloads this before the first page shows.
 */
export function GroupShowcase({ cards, max = 2, onOpen }: GroupShowcaseProps) {
  const shown = [...cards].sort((a, b) => Number(b.groups.length > 0) - Number(a.groups.length > 0)).slice(0, max);
  return (
    <View className="group-showcase">
      {shown.map((card) => (
        <ShowcaseRow key={card.activity.activityId} card={card} onOpen={onOpen} />
      ))}
    </View>
  );
}

function ShowcaseRow({ card, onOpen }: { card: ActivityCard; onOpen: (card: ActivityCard) => void }) {
  const { activity } = card;
  const group = card.groups[0];
  const [broken, setBroken] = useState(false);
  return (
    <View className="group-showcase__row" data-testid={`home-group-${activity.activityId}`} onClick={() => onOpen(card)}>
      {activity.imageUrl && !broken ? (
        <Image className="group-showcase__image" src={activity.imageUrl} mode="aspectFill" lazyLoad onError={() => setBroken(true)} />
      ) : (
        <View className="group-showcase__image">
          <Text>{[...activity.productName][0] ?? ''}</Text>
        </View>
      )}
      <View className="group-showcase__body">
        <Text className="group-showcase__name">{activity.productName}</Text>
        <View className="group-showcase__price">
          <Price price={yuanOf(activity.groupPrice)} size="normal" />
          <Text className="group-showcase__size">{activity.size}人团</Text>
        </View>
      </View>
      <View className="group-showcase__groups">
        {group ? (
          <>
            <View className="group-showcase__avatars">
              {group.initials.slice(0, 3).map((initial, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: seats have no id and keep their order
                <Text key={i} className="group-showcase__avatar">
                  {initial}
                </Text>
              ))}
            </View>
            <Text className="group-showcase__missing" data-testid="home-group-missing">
              还差{group.missing}人
            </Text>
          </>
        ) : (
          <Text className="group-showcase__missing">去开团</Text>
        )}
      </View>
    </View>
  );
}
