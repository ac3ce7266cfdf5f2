import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { OrderShortcuts } from './index';

const countOf = (tab: string) => within(screen.getByTestId(`order-shortcut-${tab}`)).getByTestId('order-shortcut-count').textContent;

describe('OrderShortcuts', () => {
  it('counts each state, refunds in progress and done together', () => {
    render(
      <OrderShortcuts
        counts={{ created: 1, paid: 2, shipped: 0, completed: 5, cancelled: 3, refunding: 1, refunded: 2 }}
        onOpen={() => undefined}
      />,
    );
    expect(['created', 'paid', 'shipped', 'completed', 'refund'].map(countOf)).toEqual(['1', '2', '0', '5', '3']);
  });

  it('shows no numbers while the counts are unknown', () => {
    render(<OrderShortcuts counts={null} onOpen={() => undefined} />);
    expect(countOf('created')).toBe('—');
  });

  it('opens the tab of the tapped state, or all orders', () => {
    const onOpen = vi.fn();
    render(<OrderShortcuts counts={{}} onOpen={onOpen} />);
    fireEvent.click(screen.getByText('待收货'));
    fireEvent.click(screen.getByText('全部订单'));
    expect(onOpen.mock.calls).toEqual([['shipped'], ['all']]);
  });
});
