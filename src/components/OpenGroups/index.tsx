import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { GroupCard } from '../../../core/contracts/groupbuy';
import { remainingMs } from '../../stores/order-clock';
import { Button } from '../../ui';
import { GroupAvatars } from '../GroupAvatars';
import { PayCountdown } from '../PayCountdown';
import './index.css';

export interface OpenGroupsProps {
  groups: readonly GroupCard[];
  /** Server clock minus phone clock when the groups were read: countdowns run on the server's time. */
  offsetMs: number;
  onOpen: (group: GroupCard) => void;
}

/** Groups a reader could join: who is in, 还差 N 人 and the time left; a tap opens the group's invite page. */
export function OpenGroups({ groups, offsetMs, onOpen }: OpenGroupsProps) {
  return (
    <View className="open-groups" data-testid="open-groups">
      {groups.map((group) => (
        <OpenGroupRow key={group.groupId} group={group} offsetMs={offsetMs} onOpen={onOpen} />
      ))}
    </View>
  );
}

function OpenGroupRow({ group, offsetMs, onOpen }: { group: GroupCard; offsetMs: number; onOpen: (group: GroupCard) => void }) {
  // Taken once: the countdown then ticks on its own; a group whose time ran out says so, not 00:00.
  const [left] = useState(() => remainingMs(group.deadline, offsetMs));
  const [over, setOver] = useState(left <= 0);
  return (
    <View className="open-groups__row" data-testid={`open-group-${group.groupId}`} onClick={() => onOpen(group)}>
      <GroupAvatars members={group.initials.map((initial) => ({ initial }))} free={group.free} max={4} />
      <View className="open-groups__text">
        <Text className="open-groups__leader">{group.leader}的团</Text>
        <Text className="open-groups__missing" data-testid="open-group-missing">
          还差 <Text className="open-groups__count">{group.missing}</Text> 人
        </Text>
        {over ? (
          <Text className="open-groups__time">已结束</Text>
        ) : (
          <Text className="open-groups__time">
            <PayCountdown remainingMs={left} onEnd={() => setOver(true)} before="" after="后结束" />
          </Text>
        )}
      </View>
      <Button type="primary" size="small" disabled={over}>
        去参团
      </Button>
    </View>
  );
}
