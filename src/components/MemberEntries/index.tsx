import { Text } from '@tarojs/components';
import type { MemberSummary } from '../../../core/contracts/member';
import { Cell } from '../../ui';
import './index.css';

export type MemberEntry = 'points' | 'coupons' | 'orders';

export interface MemberEntriesProps {
  points: number;
  /** Null while the counts load or when they could not be loaded. */
  summary: MemberSummary | null;
  /** Entries whose feature exists; the others show their count but are not tappable. */
  enabled?: readonly MemberEntry[];
  /** The rows to show (all three by default): a feature with a richer block of its own leaves its row out. */
  shown?: readonly MemberEntry[];
  onOpen?: (entry: MemberEntry) => void;
}

/**
 * Points, coupons and orders: the member center's entries, with their counts. An entry whose page
 * does not exist yet must not look like it leads anywhere (each feature turns its entry on).
 */
// Taro components, not HTML tags: the mini-program renders no <span> without Taro's HTML plugin.
export function MemberEntries({ points, summary, enabled = [], shown = ['points', 'coupons', 'orders'], onOpen }: MemberEntriesProps) {
  const count = (value: number | undefined, unit: string, none: string) =>
    value === undefined ? '—' : value === 0 ? none : `${value} ${unit}`;
  const entry = (name: MemberEntry, title: string, extra: string) => {
    if (!shown.includes(name)) return null;
    const on = enabled.includes(name);
    return (
      <Cell
        className={on ? undefined : 'member-entries__off'}
        title={title}
        extra={
          <>
            <Text data-testid={`entry-${name}`}>{extra}</Text>
            {on ? <Text className="member-entries__chevron">›</Text> : null}
          </>
        }
        // No onClick at all when off: NutUI's Cell calls whatever it is given, undefined included.
        {...(on ? { onClick: () => onOpen?.(name) } : {})}
      />
    );
  };
  return (
    <Cell.Group>
      {entry('points', '我的积分', String(points))}
      {entry('coupons', '我的优惠券', count(summary?.usableCoupons, '张可用', '暂无可用'))}
      {entry('orders', '我的订单', count(summary?.orders, '笔', '暂无订单'))}
    </Cell.Group>
  );
}
