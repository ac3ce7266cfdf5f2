import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { activityCard, activityView } from '../../stores/group-fixtures';
import { GroupActivityCard } from './index';

describe('GroupActivityCard', () => {
  it('shows the product, N人团, the group price against the original, the saving and the open groups', () => {
    const onOpen = vi.fn();
    const card = activityCard({ openGroups: 3 });
    render(<GroupActivityCard card={card} onOpen={onOpen} />);
    const tile = screen.getByTestId('group-activity-gb-mug');
    expect(screen.getByTestId('group-activity-name').textContent).toBe('樱花陶瓷马克杯');
    expect(tile.textContent).toContain('2人团');
    expect(screen.getByTestId('group-activity-open').textContent).toBe('3个团正在拼');
    expect(screen.getByTestId('group-saving').textContent).toBe('立省 ¥10.00');
    fireEvent.click(tile);
    expect(onOpen).toHaveBeenCalledWith(card);
  });

  it('invites to open a group when none is open, and says 已抢光 when nothing is left', () => {
    const { unmount } = render(<GroupActivityCard card={activityCard({ groups: [], openGroups: 0 })} onOpen={() => undefined} />);
    expect(screen.getByTestId('group-activity-open').textContent).toBe('快来开团');
    unmount();
    render(<GroupActivityCard card={activityCard({ activity: activityView({ stockLeft: 0 }) })} onOpen={() => undefined} />);
    expect(screen.getByTestId('group-activity-open').textContent).toBe('已抢光');
  });

  it('a product without a picture shows its first character, not a broken image', () => {
    render(<GroupActivityCard card={activityCard({ activity: activityView({ imageUrl: null }) })} onOpen={() => undefined} />);
    expect(screen.getByTestId('group-cover-placeholder').textContent).toBe('樱');
  });
});
