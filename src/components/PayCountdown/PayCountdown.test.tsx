import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PayCountdown } from './index';

afterEach(() => {
  vi.useRealTimers();
});

describe('PayCountdown', () => {
  it('shows the time left as 剩余 mm:ss and ticks down', async () => {
    render(<PayCountdown remainingMs={10 * 60_000} after="自动取消" />);
    await vi.waitFor(() => expect(screen.getByTestId('pay-countdown').textContent).toMatch(/^剩余(10:00|09:59)自动取消$/));
  });

  it('says when the time is up', async () => {
    const onEnd = vi.fn();
    render(<PayCountdown remainingMs={50} onEnd={onEnd} />);
    await vi.waitFor(() => expect(onEnd).toHaveBeenCalledTimes(1));
    expect(screen.getByTestId('pay-countdown').textContent).toBe('剩余00:00');
  });
});
