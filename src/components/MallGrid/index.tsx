import { Text, View } from '@tarojs/components';
import type { MallItemView } from '../../../core/contracts/points';
import type { MallItemState } from '../../../core/points/mall';
import { MallCover } from '../MallCover';
import { PointsPrice } from '../PointsPrice';
import './index.css';

export interface MallGridProps {
  items: readonly MallItemView[];
  onOpen: (item: MallItemView) => void;
}

/** The tag of an item the member cannot exchange now: why, in two to six characters. */
export const MALL_TAGS: Record<Exclude<MallItemState, 'available'>, string> = {
  sold_out: '已兑完',
  limit_reached: '已达兑换上限',
  insufficient_points: '积分不足',
  not_started: '未开始',
  ended: '已结束',
  paused: '暂停兑换',
};

/** The mall's items in two columns: picture, title, one line under it, the points (and cash), and why not when not. */
export function MallGrid({ items, onOpen }: MallGridProps) {
  return (
    <View className="mall-grid" data-testid="mall-grid">
      {items.map((item) => {
        // Gone for everyone (sold out, over): greyed; the member's own reasons (points, limit) only tagged.
        const gone = item.state === 'sold_out' || item.state === 'ended' || item.state === 'paused';
        return (
          <View
            key={item.itemId}
            className={`mall-tile${gone ? ' mall-tile--gone' : ''}`}
            data-testid={`mall-item-${item.itemId}`}
            onClick={() => onOpen(item)}
          >
            <MallCover imageUrl={item.imageUrl} title={item.title} kind={item.kind} />
            <View className="mall-tile__body">
              <Text className="mall-tile__title" data-testid="mall-item-title">
                {item.title}
              </Text>
              {item.subtitle ? <Text className="mall-tile__subtitle">{item.subtitle}</Text> : null}
              <PointsPrice points={item.points} cash={item.cash} />
              {item.state !== 'available' ? (
                <Text className={`mall-tile__tag${gone ? ' mall-tile__tag--gone' : ''}`} data-testid="mall-item-tag">
                  {MALL_TAGS[item.state]}
                </Text>
              ) : null}
            </View>
          </View>
        );
      })}
    </View>
  );
}
