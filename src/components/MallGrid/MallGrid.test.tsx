import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { cashItem, mallItem } from '../../stores/points-fixtures';
import { MallGrid } from './index';

describe('MallGrid', () => {
  it('each item: title, the line under it, points (and cash); a tap opens it', () => {
    const onOpen = vi.fn();
    const coupon = mallItem();
    render(<MallGrid items={[coupon, cashItem()]} onOpen={onOpen} />);
    const tile = screen.getByTestId('mall-item-mi-coupon-5');
    expect(within(tile).getByTestId('mall-item-title').textContent).toBe('5元无门槛券');
    expect(tile.textContent).toContain('无门槛 · 领取后7天有效');
    expect(within(tile).getByTestId('points-price').textContent).toBe('100积分');
    expect(within(screen.getByTestId('mall-item-mi-mug')).getByTestId('points-price').textContent).toContain('9.90');
    fireEvent.click(tile);
    expect(onOpen).toHaveBeenCalledWith(coupon);
  });

  it('an available item has no tag; the others say why not', () => {
    const states = ['sold_out', 'limit_reached', 'insufficient_points', 'not_started', 'ended'] as const;
    render(<MallGrid items={[mallItem(), ...states.map((state) => mallItem({ itemId: state, state }))]} onOpen={() => undefined} />);
    expect(within(screen.getByTestId('mall-item-mi-coupon-5')).queryByTestId('mall-item-tag')).toBeNull();
    expect(states.map((state) => within(screen.getByTestId(`mall-item-${state}`)).getByTestId('mall-item-tag').textContent)).toEqual([
      '已兑完',
      '已达兑换上限',
      '积分不足',
      '未开始',
      '已结束',
    ]);
    expect(screen.getByTestId('mall-item-sold_out').className).toContain('mall-tile--gone');
    expect(screen.getByTestId('mall-item-insufficient_points').className).not.toContain('mall-tile--gone');
  });
});
