import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { GROUP_SERVER_TIME, groupCard } from '../../stores/group-fixtures';
import { OpenGroups } from './index';

const offset = Date.parse(GROUP_SERVER_TIME) - Date.now();

describe('OpenGroups', () => {
  it('shows whose group it is, who is in, 还差 N 人 and the time left; a tap opens the group', async () => {
    const onOpen = vi.fn();
    const card = groupCard({ initials: ['爱', '卡'], missing: 2, free: 1 });
    render(<OpenGroups groups={[card]} offsetMs={offset} onOpen={onOpen} />);
    const row = screen.getByTestId('open-group-g1');
    expect(row.textContent).toContain('爱丽丝的团');
    expect(screen.getByTestId('open-group-missing').textContent).toBe('还差 2 人');
    expect(screen.getAllByTestId('group-avatar').map((a) => a.textContent)).toEqual(['爱', '卡']);
    expect(screen.getAllByTestId('group-avatar-free')).toHaveLength(1);
    // 24 hours left on the server's clock, whatever the phone's says.
    await vi.waitFor(() => expect(screen.getByTestId('pay-countdown').textContent).toMatch(/^2[34]:\d\d:\d\d后结束$/));
    fireEvent.click(row);
    expect(onOpen).toHaveBeenCalledWith(card);
  });

  it('a group whose time ran out says 已结束, never 00:00', () => {
    render(<OpenGroups groups={[groupCard()]} offsetMs={offset + 25 * 3_600_000} onOpen={() => undefined} />);
    expect(screen.getByTestId('open-group-g1').textContent).toContain('已结束');
    expect(screen.queryByTestId('pay-countdown')).toBeNull();
  });
});
