import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { MemberEntries } from './index';

describe('MemberEntries', () => {
  it('shows points and the counts, with an empty wording for zero', () => {
    render(<MemberEntries points={30} summary={{ usableCoupons: 2, orders: 0 }} />);
    expect(screen.getByTestId('entry-points').textContent).toBe('30');
    expect(screen.getByTestId('entry-coupons').textContent).toBe('2 张可用');
    expect(screen.getByTestId('entry-orders').textContent).toBe('暂无订单');
  });

  it('reports taps only on entries whose feature exists; the others do not look or act tappable', () => {
    const onOpen = vi.fn();
    render(<MemberEntries points={0} summary={null} enabled={['orders']} onOpen={onOpen} />);
    expect(screen.getByTestId('entry-coupons').textContent).toBe('—');
    fireEvent.click(screen.getByText('我的订单'));
    expect(onOpen).toHaveBeenCalledWith('orders');
    fireEvent.click(screen.getByText('我的优惠券'));
    fireEvent.click(screen.getByText('我的积分'));
    expect(onOpen).toHaveBeenCalledTimes(1);
    const cell = (title: string) => screen.getByText(title).closest('.nut-cell');
    expect(cell('我的优惠券')?.className).toContain('member-entries__off');
    expect(cell('我的订单')?.className).not.toContain('member-entries__off');
  });

  it('shows only the rows asked for', () => {
    render(<MemberEntries points={0} summary={null} shown={['points', 'coupons']} />);
    expect(screen.queryByText('我的订单')).toBeNull();
    expect(screen.getByText('我的优惠券')).toBeTruthy();
  });
});
