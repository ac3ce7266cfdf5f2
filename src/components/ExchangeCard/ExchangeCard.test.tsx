import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { cashExchangeView, exchangeView, POINTS_SERVER_TIME } from '../../stores/points-fixtures';
import { ExchangeCard, exchangeNext } from './index';

const handlers = () => ({ onUse: vi.fn(), onOrder: vi.fn(), onPay: vi.fn() });
const cashExchange = cashExchangeView({ exchangeId: 'ex-2', orderId: 'ord-1' });

describe('ExchangeCard', () => {
  it('a coupon: title, points, 已兑换, the time, and 去使用', () => {
    const on = handlers();
    const exchange = exchangeView();
    render(<ExchangeCard exchange={exchange} serverTime={POINTS_SERVER_TIME} {...on} />);
    const card = screen.getByTestId('exchange-ex-1');
    expect(card.textContent).toContain('12月3日 11:00');
    expect(screen.getByTestId('exchange-state').textContent).toBe('已兑换');
    expect(screen.getByTestId('exchange-title').textContent).toBe('5元无门槛券');
    expect(screen.getByTestId('points-price').textContent).toBe('100积分');
    expect(screen.queryByTestId('exchange-order')).toBeNull();
    fireEvent.click(screen.getByTestId('exchange-use'));
    expect(on.onUse).toHaveBeenCalledWith(exchange);
  });

  it('points and cash awaiting payment: 查看订单 and 去支付, loading while paying', () => {
    const on = handlers();
    const { rerender } = render(<ExchangeCard exchange={cashExchange} {...on} />);
    expect(screen.getByTestId('points-price').textContent).toContain('9.90');
    fireEvent.click(screen.getByTestId('exchange-pay'));
    expect(on.onPay).toHaveBeenCalledWith(cashExchange);
    fireEvent.click(screen.getByTestId('exchange-order'));
    expect(on.onOrder).toHaveBeenCalledWith(cashExchange);
    rerender(<ExchangeCard exchange={cashExchange} {...on} paying />);
    expect(screen.getByTestId('exchange-pay').className).toContain('nut-button-loading');
  });

  it('the next step follows the state: nothing for a cancelled exchange, 查看订单 once paid', () => {
    expect(exchangeNext(exchangeView({ state: 'failed', stateText: '兑换失败' }))).toBeNull();
    expect(exchangeNext(exchangeView({ couponId: null }))).toBeNull();
    expect(exchangeNext({ ...cashExchange, state: 'cancelled' })).toBe('order');
    expect(exchangeNext({ ...cashExchange, state: 'done' })).toBe('order');
    expect(exchangeNext({ ...cashExchange, orderId: null })).toBeNull();
    render(<ExchangeCard exchange={exchangeView({ state: 'failed', stateText: '兑换失败' })} {...handlers()} />);
    expect(screen.getByTestId('exchange-state').className).toContain('exchange-card__state--off');
    expect(screen.queryByTestId('exchange-use')).toBeNull();
  });
});
