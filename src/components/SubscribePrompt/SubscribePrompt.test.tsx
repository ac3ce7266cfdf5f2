import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useSubscribeAskStore } from '../../stores/useSubscribeAskStore';
import { SubscribePrompt } from './index';

const initial = useSubscribeAskStore.getState();
afterEach(() => useSubscribeAskStore.setState(initial, true));

const COUPON = { id: 'TPL_COUPON_EXPIRING', title: '优惠券到期提醒' };
const CAMPAIGN = { id: 'TPL_CAMPAIGN', title: '活动提醒' };

/** Inducement words the platform forbids tying to a reward (PLATFORM.md). */
const INDUCEMENT = /分享|转发|朋友圈|群|奖励|红包/;

describe('SubscribePrompt', () => {
  it('reads the reminders once the moment succeeded, and not before', () => {
    const load = vi.fn(async () => undefined);
    useSubscribeAskStore.setState({ load });
    const { rerender } = render(<SubscribePrompt moment="claim" active={false} />);
    expect(load).not.toHaveBeenCalled();
    rerender(<SubscribePrompt moment="claim" active />);
    expect(load).toHaveBeenCalledWith('claim');
  });

  it('says which reminders it turns on, in plain Chinese, with 开启提醒 and no inducement', () => {
    useSubscribeAskStore.setState({
      load: vi.fn(async () => undefined),
      asks: { claim: { phase: 'ready', templates: [COUPON, CAMPAIGN] } },
    });
    render(<SubscribePrompt moment="claim" active />);
    const card = screen.getByTestId('subscribe-prompt');
    expect(screen.getByTestId('subscribe-prompt-what').textContent).toBe('优惠券到期提醒、活动提醒');
    expect(screen.getByTestId('subscribe-prompt-open').textContent).toContain('开启提醒');
    expect(card.textContent).not.toMatch(INDUCEMENT);
    expect(card.textContent).not.toMatch(/TPL_/);
  });

  it('the tap asks for exactly this moment', () => {
    const ask = vi.fn(async () => ({ kind: 'answered' as const, accepted: 1 }));
    useSubscribeAskStore.setState({ ask, load: vi.fn(async () => undefined), asks: { join: { phase: 'ready', templates: [COUPON] } } });
    render(<SubscribePrompt moment="join" active />);
    fireEvent.click(screen.getByTestId('subscribe-prompt-open'));
    expect(ask).toHaveBeenCalledWith('join');
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('renders nothing while loading, when nothing is askable, when inactive, or once answered', () => {
    const load = vi.fn(async () => undefined);
    useSubscribeAskStore.setState({ load, asks: { claim: { phase: 'loading', templates: [] } } });
    const { rerender } = render(<SubscribePrompt moment="claim" active />);
    expect(screen.queryByTestId('subscribe-prompt')).toBeNull();
    act(() => useSubscribeAskStore.setState({ asks: { claim: { phase: 'ready', templates: [] } } }));
    expect(screen.queryByTestId('subscribe-prompt')).toBeNull();
    act(() => useSubscribeAskStore.setState({ asks: { claim: { phase: 'ready', templates: [COUPON] } } }));
    expect(screen.getByTestId('subscribe-prompt')).toBeTruthy();
    rerender(<SubscribePrompt moment="claim" active={false} />);
    expect(screen.queryByTestId('subscribe-prompt')).toBeNull();
    rerender(<SubscribePrompt moment="claim" active />);
    act(() => useSubscribeAskStore.setState({ asks: { claim: { phase: 'answered', templates: [] } } }));
    expect(screen.queryByTestId('subscribe-prompt')).toBeNull();
    // Another moment's templates are not this one's.
    act(() => useSubscribeAskStore.setState({ asks: { order: { phase: 'ready', templates: [COUPON] } } }));
    expect(screen.queryByTestId('subscribe-prompt')).toBeNull();
  });

  it('while the sheet is open the button shows loading and takes no second tap', () => {
    const ask = vi.fn(async () => ({ kind: 'busy' as const }));
    useSubscribeAskStore.setState({ ask, load: vi.fn(async () => undefined), asks: { order: { phase: 'asking', templates: [COUPON] } } });
    render(<SubscribePrompt moment="order" active />);
    fireEvent.click(screen.getByTestId('subscribe-prompt-open'));
    expect(ask).not.toHaveBeenCalled();
  });

  it('floating, it docks with a spacer so the page end stays reachable', () => {
    useSubscribeAskStore.setState({ load: vi.fn(async () => undefined), asks: { claim: { phase: 'ready', templates: [COUPON] } } });
    const { container } = render(<SubscribePrompt moment="claim" active floating />);
    expect(screen.getByTestId('subscribe-prompt-card').textContent).toContain('优惠券到期提醒');
    expect(container.querySelector('.subscribe-prompt__spacer')).not.toBeNull();
    expect(container.querySelector('.subscribe-prompt__dock')).not.toBeNull();
  });
});
