import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FollowGuide } from './index';

describe('FollowGuide', () => {
  it('explains why and how to follow when the member does not follow', () => {
    render(<FollowGuide follows={false} mpName="Duet 品牌" />);
    const box = screen.getByTestId('follow-status');
    expect(box.textContent).toContain('还没有关注公众号「Duet 品牌」');
    expect(box.textContent).toContain('关注方法');
    expect(box.textContent).toContain('关注后');
  });

  it('confirms the follow without instructions', () => {
    render(<FollowGuide follows mpName="Duet 品牌" />);
    const box = screen.getByTestId('follow-status');
    expect(box.textContent).toContain('已关注公众号「Duet 品牌」');
    expect(box.textContent).not.toContain('关注方法');
  });
});
