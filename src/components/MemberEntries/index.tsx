import type { MemberSummary } from '../../../core/contracts/member';
import { Cell } from '../../ui';

export interface MemberEntriesProps {
  points: number;
  /** Null while the counts load or when they could not be loaded. */
  summary: MemberSummary | null;
  onOpen?: (entry: 'points' | 'coupons' | 'orders') => void;
}

/** Points, coupons and orders: the member center's entries, with their counts. */
export function MemberEntries({ points, summary, onOpen }: MemberEntriesProps) {
  const count = (value: number | undefined, unit: string, none: string) =>
    value === undefined ? '—' : value === 0 ? none : `${value} ${unit}`;
  return (
    <Cell.Group>
      <Cell title="我的积分" extra={<span data-testid="entry-points">{points}</span>} onClick={() => onOpen?.('points')} />
      <Cell
        title="我的优惠券"
        extra={<span data-testid="entry-coupons">{count(summary?.usableCoupons, '张可用', '暂无可用')}</span>}
        onClick={() => onOpen?.('coupons')}
      />
      <Cell
        title="我的订单"
        extra={<span data-testid="entry-orders">{count(summary?.orders, '笔', '暂无订单')}</span>}
        onClick={() => onOpen?.('orders')}
      />
    </Cell.Group>
  );
}
