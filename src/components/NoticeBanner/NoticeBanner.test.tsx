import { fireEvent, render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEntryStore } from '../../stores/useEntryStore';
import { NoticeBanner } from './index';

beforeEach(() => {
  useEntryStore.setState(useEntryStore.getInitialState(), true);
});

describe('NoticeBanner', () => {
  it('shows the landing notice until the reader closes it', () => {
    useEntryStore.setState({
      status: 'ready',
      result: { page: 'pages/index/index', params: {}, notice: '二维码已失效，为你打开首页', attributed: false },
    });
    render(<NoticeBanner />);
    expect(screen.getByTestId('notice-banner').textContent).toContain('二维码已失效，为你打开首页');
    fireEvent.click(screen.getByTestId('notice-close'));
    expect(screen.queryByTestId('notice-banner')).toBeNull();
    expect(useEntryStore.getState().result?.notice).toBeNull();
  });

  it('shows nothing without a notice', () => {
    render(<NoticeBanner />);
    expect(screen.queryByTestId('notice-banner')).toBeNull();
  });
});
