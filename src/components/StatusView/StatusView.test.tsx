import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { StatusView } from './index';

describe('StatusView', () => {
  it('shows a skeleton while loading and hides the content', () => {
    render(
      <StatusView status="loading">
        <span>content</span>
      </StatusView>,
    );
    expect(screen.getByTestId('status-loading')).toBeTruthy();
    expect(screen.queryByText('content')).toBeNull();
  });

  it('shows the Chinese error and retries on tap', () => {
    const onRetry = vi.fn();
    render(<StatusView status="error" error="服务繁忙，请稍后重试" onRetry={onRetry} />);
    expect(screen.getByText('服务繁忙，请稍后重试')).toBeTruthy();
    fireEvent.click(screen.getByText('重试'));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('shows the empty state when ready with nothing to show', () => {
    render(<StatusView status="ready" empty emptyText="还没有优惠券" />);
    expect(screen.getByTestId('status-empty')).toBeTruthy();
    expect(screen.getByText('还没有优惠券')).toBeTruthy();
  });

  it('an empty state with a next step offers it instead of the way home', () => {
    const onClick = vi.fn();
    render(<StatusView status="ready" empty emptyText="还没有优惠券" emptyAction={{ label: '去领券', onClick }} />);
    expect(screen.queryByTestId('status-home')).toBeNull();
    fireEvent.click(screen.getByText('去领券'));
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('renders its children when ready', () => {
    render(
      <StatusView status="ready">
        <span>content</span>
      </StatusView>,
    );
    expect(screen.getByText('content')).toBeTruthy();
  });
});
