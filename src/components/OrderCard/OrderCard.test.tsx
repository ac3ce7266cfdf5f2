import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ORDER_SERVER_TIME, orderView, paidOrder } from '../../stores/order-fixtures';
import { OrderCard } from './index';

const offset = Date.parse(ORDER_SERVER_TIME) - Date.now();
const handlers = () => ({ onOpen: vi.fn(), onPay: vi.fn(), onConfirmReceipt: vi.fn() });

describe('OrderCard', () => {
  it('an unpaid order: 待付款, the payable, the time left and 去支付 (which does not also open the order)', () => {
    const on = handlers();
    render(<OrderCard order={orderView()} offsetMs={offset} {...on} />);
    expect(screen.getByTestId('order-state').textContent).toBe('待付款');
    expect(screen.getByTestId('order-o1').textContent).toContain('共 1 件，应付¥148.00');
    expect(screen.getByTestId('pay-countdown').textContent).toMatch(/^剩余/);
    fireEvent.click(screen.getByTestId('order-pay'));
    expect(on.onPay).toHaveBeenCalledWith(orderView());
    expect(on.onOpen).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('order-state'));
    expect(on.onOpen).toHaveBeenCalled();
  });

  it('an unpaid order past its time says 已超时 and offers no payment', () => {
    render(<OrderCard order={orderView()} offsetMs={offset + 11 * 60_000} {...handlers()} />);
    expect(screen.getByTestId('order-state').textContent).toBe('已超时');
    expect(screen.queryByTestId('order-pay')).toBeNull();
  });

  it('a shipped order offers 确认收货; a paid one only its state', () => {
    const on = handlers();
    const shipped = paidOrder({ state: 'shipped', can: { pay: false, cancel: false, confirmReceipt: true, requestRefund: false } });
    const { unmount } = render(<OrderCard order={shipped} offsetMs={offset} {...on} />);
    expect(screen.getByTestId('order-state').textContent).toBe('待收货');
    fireEvent.click(screen.getByTestId('order-confirm'));
    expect(on.onConfirmReceipt).toHaveBeenCalledWith(shipped);
    unmount();
    render(<OrderCard order={paidOrder()} offsetMs={offset} {...on} />);
    expect(screen.getByTestId('order-state').textContent).toBe('待发货');
    expect(screen.queryByTestId('order-pay')).toBeNull();
    expect(screen.queryByTestId('order-confirm')).toBeNull();
  });
});
