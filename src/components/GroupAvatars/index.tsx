import { Text, View } from '@tarojs/components';
import './index.css';

export interface GroupAvatarsProps {
  /** The members as the server lists them, the leader first: no avatar images exist, only initials. */
  members: ReadonlyArray<{ initial: string; nickname?: string; paid?: boolean }>;
  /** Seats nobody holds yet, drawn as empty dashed circles. */
  free?: number;
  /** `large` on the invite page (names under the circles, 团长 marked); `small` in cards. */
  size?: 'small' | 'large';
  /** Small rows show at most this many circles, then +N, so a card never wraps. */
  max?: number;
}

/**
 * A few colours that read white text in sunlight, by seat: members who never set a name are all
 * 微信用户 (one initial), and a row of identical circles would not read as different people.
 */
const COLOURS = 5;

/** Who is in a group: a coloured circle with each member's initial, then dashed circles for the free seats. */
export function GroupAvatars({ members, free = 0, size = 'small', max = 5 }: GroupAvatarsProps) {
  const large = size === 'large';
  const shownMembers = large ? members : members.slice(0, max);
  const shownFree = large ? free : Math.max(0, Math.min(free, max - shownMembers.length));
  const hidden = members.length + free - shownMembers.length - shownFree;
  return (
    <View className={`group-avatars group-avatars--${size}`} data-testid="group-avatars">
      {shownMembers.map((member, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: seats have no id and keep their order
        <View key={i} className="group-avatars__seat" data-testid="group-avatar">
          <View className={`group-avatars__circle group-avatars__circle--c${i % COLOURS}`}>
            <Text>{member.initial}</Text>
            {large && i === 0 ? <Text className="group-avatars__leader">团长</Text> : null}
          </View>
          {large ? <Text className="group-avatars__name">{member.paid === false ? '待支付' : (member.nickname ?? '')}</Text> : null}
        </View>
      ))}
      {Array.from({ length: shownFree }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: empty seats are all alike
        <View key={`free-${i}`} className="group-avatars__seat" data-testid="group-avatar-free">
          <View className="group-avatars__circle group-avatars__circle--free">
            <Text>?</Text>
          </View>
          {large ? <Text className="group-avatars__name">待加入</Text> : null}
        </View>
      ))}
      {hidden > 0 ? <Text className="group-avatars__more">+{hidden}</Text> : null}
    </View>
  );
}
