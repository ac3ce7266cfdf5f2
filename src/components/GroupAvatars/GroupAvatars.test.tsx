import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { GroupAvatars } from './index';

const members = [
  { initial: '爱', nickname: '爱丽丝', paid: true },
  { initial: '小', nickname: '小波', paid: false },
];

describe('GroupAvatars', () => {
  it('draws each member’s initial, then one dashed circle per free seat', () => {
    render(<GroupAvatars members={members} free={2} />);
    expect(screen.getAllByTestId('group-avatar').map((a) => a.textContent)).toEqual(['爱', '小']);
    expect(screen.getAllByTestId('group-avatar-free')).toHaveLength(2);
  });

  it('on the invite page: names under the circles, the leader marked, a held seat as 待支付', () => {
    render(<GroupAvatars members={members} free={1} size="large" />);
    const [leader, held] = screen.getAllByTestId('group-avatar');
    expect(leader.textContent).toBe('爱团长爱丽丝');
    expect(held.textContent).toBe('小待支付');
    expect(screen.getByTestId('group-avatar-free').textContent).toBe('?待加入');
  });

  it('in a card, at most `max` circles and +N for the rest, so the row never wraps', () => {
    render(<GroupAvatars members={members} free={8} max={4} />);
    expect(screen.getAllByTestId('group-avatar')).toHaveLength(2);
    expect(screen.getAllByTestId('group-avatar-free')).toHaveLength(2);
    expect(screen.getByTestId('group-avatars').textContent).toContain('+6');
  });

  it('members with the same initial (all 微信用户) still read as different people: each seat its own colour', () => {
    render(<GroupAvatars members={[{ initial: '微' }, { initial: '微' }]} />);
    const [a, b] = screen.getAllByTestId('group-avatar').map((el) => el.firstElementChild?.className);
    expect(a).toContain('group-avatars__circle--c0');
    expect(b).toContain('group-avatars__circle--c1');
  });
});
