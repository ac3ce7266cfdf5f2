import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { couponView, SERVER_TIME, templateCard } from '../../stores/coupon-fixtures';
import { useCouponCenterStore } from '../../stores/useCouponCenterStore';
import { ClaimableCoupons } from './index';

const initial = useCouponCenterStore.getState();
afterEach(() => useCouponCenterStore.setState(initial, true));

describe('ClaimableCoupons', () => {
  it('claims the tapped template through the store, and shows a claim in flight as loading', async () => {
    const claim = vi.fn(async () => ({ kind: 'busy' as const }));
    useCouponCenterStore.setState({ claim, claiming: { 'tpl-b': true } });
    render(
      <ClaimableCoupons
        templates={[templateCard({ templateId: 'tpl-a' }), templateCard({ templateId: 'tpl-b', name: '第二张' })]}
        serverTime={SERVER_TIME}
      />,
    );
    fireEvent.click(within(screen.getByTestId('template-tpl-a')).getByTestId('coupon-action'));
    expect(claim).toHaveBeenCalledWith('tpl-a');
    // The one in flight does not claim again.
    fireEvent.click(within(screen.getByTestId('template-tpl-b')).getByTestId('coupon-action'));
    expect(claim).toHaveBeenCalledTimes(1);
  });

  it('shows each template in the state the server answered', () => {
    render(<ClaimableCoupons templates={[templateCard({ templateId: 'tpl-c', state: 'sold_out' })]} serverTime={SERVER_TIME} />);
    expect(within(screen.getByTestId('template-tpl-c')).getByTestId('coupon-action').textContent).toContain('已抢光');
  });

  it('tells the page when a claim succeeded, and only then', async () => {
    const claim = vi
      .fn()
      .mockResolvedValueOnce({ kind: 'refused', message: '你已达到领取上限', state: 'claimed' })
      .mockResolvedValueOnce({ kind: 'claimed', coupon: couponView(), repeated: false });
    const onClaimed = vi.fn();
    useCouponCenterStore.setState({ claim });
    render(<ClaimableCoupons templates={[templateCard({ templateId: 'tpl-a' })]} serverTime={SERVER_TIME} onClaimed={onClaimed} />);
    const button = within(screen.getByTestId('template-tpl-a')).getByTestId('coupon-action');
    fireEvent.click(button);
    await waitFor(() => expect(claim).toHaveBeenCalledTimes(1));
    await Promise.resolve();
    expect(onClaimed).not.toHaveBeenCalled();
    fireEvent.click(button);
    await waitFor(() => expect(onClaimed).toHaveBeenCalledTimes(1));
  });
});
