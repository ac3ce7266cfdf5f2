import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { GROUP_SERVER_TIME, groupView, myGroupView } from '../../stores/group-fixtures';
import { MyGroupCard } from './index';

const offset = Date.parse(GROUP_SERVER_TIME) - Date.now();

describe('MyGroupCard', () => {
  it('a running group: 拼团中, who is in, 还差 N 人 and the time left; a tap opens it', () => {
    const onOpen = vi.fn();
    const view = myGroupView();
    render(<MyGroupCard view={view} offsetMs={offset} onOpen={onOpen} />);
    expect(screen.getByTestId('my-group-tag').textContent).toBe('拼团中');
    expect(screen.getByTestId('my-group-g1').textContent).toContain('还差 1 人');
    expect(screen.getByTestId('pay-countdown').textContent).toMatch(/后结束$/);
    fireEvent.click(screen.getByTestId('my-group-g1'));
    expect(onOpen).toHaveBeenCalledWith(view);
  });

  it('a finished group shows its outcome and no countdown', () => {
    const view = myGroupView({
      group: groupView({ state: 'succeeded', paid: 2, free: 0, missing: 0 }, { seat: 'paid', action: 'joined' }),
    });
    render(<MyGroupCard view={view} offsetMs={offset} onOpen={() => undefined} />);
    expect(screen.getByTestId('my-group-tag').textContent).toBe('拼团成功');
    expect(screen.queryByTestId('pay-countdown')).toBeNull();
  });
});
