import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { activityCard, activityView, groupCard } from '../../stores/group-fixtures';
import { GroupShowcase } from './index';

describe('GroupShowcase', () => {
  it('puts activities with groups to join first, with who is in and 还差 N 人, and shows at most two', () => {
    const quiet = activityCard({
      activity: activityView({ activityId: 'gb-quiet', productName: '玫瑰身体乳' }),
      groups: [],
      openGroups: 0,
    });
    const busy = activityCard({ groups: [groupCard({ initials: ['爱', '小'], missing: 1 })] });
    const third = activityCard({ activity: activityView({ activityId: 'gb-third' }), groups: [], openGroups: 0 });
    const onOpen = vi.fn();
    render(<GroupShowcase cards={[quiet, busy, third]} onOpen={onOpen} />);
    const rows = screen.getAllByTestId(/^home-group-gb/);
    expect(rows.map((row) => row.dataset.testid)).toEqual(['home-group-gb-mug', 'home-group-gb-quiet']);
    expect(rows[0].textContent).toContain('爱小');
    expect(screen.getByTestId('home-group-missing').textContent).toBe('还差1人');
    expect(rows[1].textContent).toContain('去开团');
    fireEvent.click(rows[1]);
    expect(onOpen).toHaveBeenCalledWith(quiet);
  });
});
