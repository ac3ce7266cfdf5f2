import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { quoteView } from '../../stores/order-fixtures';
import { CouponSheet } from './index';

describe('CouponSheet', () => {
  it('lists the coupons that apply with their saving, labels the best 最优 and ticks the applied one', () => {
    render(<CouponSheet quote={quoteView()} onChoose={() => undefined} />);
    const best = screen.getByTestId('coupon-option-c-new');
    expect(within(best).getByTestId('coupon-best').textContent).toBe('最优');
    expect(best.textContent).toContain('可减¥10.00');
    expect(best.className).toContain('coupon-sheet__row--on');
    expect(within(screen.getByTestId('coupon-option-c-welcome')).queryByTestId('coupon-best')).toBeNull();
    expect(screen.getByTestId('coupon-option-none').className).not.toContain('--on');
  });

  it('greys the coupons that do not apply with why, and they take no tap', () => {
    const onChoose = vi.fn();
    render(<CouponSheet quote={quoteView()} onChoose={onChoose} />);
    const off = screen.getByTestId('coupon-option-c-299');
    expect(off.textContent).toContain('未达到使用门槛');
    fireEvent.click(off);
    expect(onChoose).not.toHaveBeenCalled();
  });

  it('reports the chosen coupon, or none', () => {
    const onChoose = vi.fn();
    render(<CouponSheet quote={quoteView({ coupon: null })} onChoose={onChoose} />);
    expect(screen.getByTestId('coupon-option-none').className).toContain('--on');
    fireEvent.click(screen.getByTestId('coupon-option-c-welcome'));
    fireEvent.click(screen.getByTestId('coupon-option-none'));
    expect(onChoose.mock.calls).toEqual([['c-welcome'], ['none']]);
  });
});
