import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { CouponCard, type CouponCardProps } from './index';

const base: CouponCardProps = {
  name: '满99减20',
  terms: { kind: 'threshold_off', threshold: 9900, amountOff: 2000 },
  scope: { all: true },
  validity: '领取后7天内有效',
  testId: 'card',
};

const text = (testId: string) => screen.getByTestId(testId).textContent;

describe('CouponCard', () => {
  it('shows the amount big with its condition, the name, scope and validity', () => {
    render(<CouponCard {...base} />);
    expect(text('coupon-value')).toBe('¥20');
    expect(text('coupon-condition')).toBe('满99可用');
    expect(text('coupon-name')).toBe('满99减20');
    expect(screen.getByText('全场通用')).toBeTruthy();
    expect(screen.getByText('领取后7天内有效')).toBeTruthy();
    expect(screen.queryByTestId('coupon-expiring')).toBeNull();
  });

  it('words every kind of terms as a member reads them', () => {
    const cases: Array<[CouponCardProps['terms'], string, string]> = [
      [{ kind: 'no_threshold', amountOff: 500 }, '¥5', '无门槛'],
      [{ kind: 'percent_off', percentOff: 15, cap: 3000 }, '8.5折', '最高减30元'],
      [{ kind: 'amount_off', amountOff: 850 }, '¥8.5', '立减'],
    ];
    for (const [terms, value, condition] of cases) {
      const { unmount } = render(<CouponCard {...base} terms={terms} />);
      expect(text('coupon-value')).toBe(value);
      expect(text('coupon-condition')).toBe(condition);
      unmount();
    }
  });

  it('a coupon for some products says so', () => {
    render(<CouponCard {...base} scope={{ all: false }} />);
    expect(screen.getByText('指定商品可用')).toBeTruthy();
  });

  it('its button acts on a tap, and not while loading or when it only shows a state', () => {
    const onClick = vi.fn();
    const { rerender } = render(<CouponCard {...base} action={{ label: '立即领取', onClick }} />);
    fireEvent.click(screen.getByText('立即领取'));
    expect(onClick).toHaveBeenCalledTimes(1);

    rerender(<CouponCard {...base} action={{ label: '立即领取', onClick, loading: true }} />);
    expect(screen.getByTestId('coupon-action').className).toContain('nut-button-loading');
    fireEvent.click(screen.getByText('立即领取'));
    expect(onClick).toHaveBeenCalledTimes(1);

    rerender(<CouponCard {...base} action={{ label: '已抢光', onClick, disabled: true }} />);
    expect(screen.getByTestId('coupon-action').className).toContain('coupon-card__action--quiet');
    fireEvent.click(screen.getByText('已抢光'));
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('a tap on the button does not open the card; a tap on the card does', () => {
    const onOpen = vi.fn();
    const onUse = vi.fn();
    const { rerender } = render(<CouponCard {...base} onClick={onOpen} action={{ label: '去使用', onClick: onUse }} />);
    fireEvent.click(screen.getByText('去使用'));
    expect(onUse).toHaveBeenCalledTimes(1);
    expect(onOpen).not.toHaveBeenCalled();
    fireEvent.click(screen.getByText('满99减20'));
    expect(onOpen).toHaveBeenCalledTimes(1);

    rerender(<CouponCard {...base} onClick={onOpen} action={{ label: '已领取', disabled: true }} />);
    fireEvent.click(screen.getByText('已领取'));
    expect(onOpen).toHaveBeenCalledTimes(1);
  });

  it('used and expired coupons are greyed with a stamp instead of a button', () => {
    render(<CouponCard {...base} stamp="已过期" expiringSoon action={{ label: '去使用', onClick: vi.fn() }} />);
    expect(text('coupon-stamp')).toBe('已过期');
    expect(screen.getByTestId('card').className).toContain('coupon-card--muted');
    expect(screen.queryByTestId('coupon-action')).toBeNull();
    // An expired coupon is not "expiring soon" any more.
    expect(screen.queryByTestId('coupon-expiring')).toBeNull();
  });

  it('marks a coupon in its last days, and shows a note when given one', () => {
    render(<CouponCard {...base} expiringSoon note="剩余 12 张" />);
    expect(text('coupon-expiring')).toBe('即将过期');
    expect(text('coupon-note')).toBe('剩余 12 张');
    expect(screen.getByTestId('card').className).not.toContain('coupon-card--muted');
  });
});
