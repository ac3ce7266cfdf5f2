import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MemberView } from '../../../core/contracts/member';
import { MemberCard } from './index';

const member: MemberView = {
  _id: 'a1b2c3',
  unionid: null,
  nickname: '小鹿',
  memberNo: '0123456789',
  followsMp: false,
  points: 120,
  createdAt: '2026-11-25T08:00:00.000Z',
};

describe('MemberCard', () => {
  it('shows the member id, name and points', () => {
    render(<MemberCard member={member} />);
    // The member number, never the 32-character id.
    expect(screen.getByTestId('member-id').textContent).toBe('0123456789');
    expect(screen.getByTestId('member-points').textContent).toBe('120');
    expect(screen.getByText('小鹿')).toBeTruthy();
  });

  it('says whether the member follows the 公众号', () => {
    const { rerender } = render(<MemberCard member={member} />);
    expect(screen.getByText('未关注公众号')).toBeTruthy();
    rerender(<MemberCard member={{ ...member, followsMp: true }} />);
    expect(screen.getByText('已关注公众号')).toBeTruthy();
  });
});
