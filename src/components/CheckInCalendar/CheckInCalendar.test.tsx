import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { calendar } from '../../stores/points-fixtures';
import { CheckInCalendar } from './index';

const classesOf = () => screen.getAllByTestId('checkin-day').map((cell) => cell.className);

describe('CheckInCalendar', () => {
  it('seven days with their points and labels; done days ticked, today marked, the bonus day set apart', () => {
    render(<CheckInCalendar days={calendar(false)} />);
    const cells = screen.getAllByTestId('checkin-day');
    expect(cells).toHaveLength(7);
    expect(screen.getAllByTestId('checkin-day-label').map((label) => label.textContent)).toEqual([
      '12/1',
      '12/2',
      '今天',
      '明天',
      '12/5',
      '12/6',
      '12/7',
    ]);
    expect(cells.map((cell) => cell.textContent?.match(/\+\d+/)?.[0])).toEqual(['+5', '+5', '+5', '+5', '+5', '+5', '+25']);
    const classes = classesOf();
    expect(classes.map((c) => c.includes('checkin-day--done'))).toEqual([true, true, false, false, false, false, false]);
    expect(classes.map((c) => c.includes('checkin-day--today'))).toEqual([false, false, true, false, false, false, false]);
    expect(classes[6]).toContain('checkin-day--bonus');
    expect(cells[6].textContent).toContain('额外奖励');
    expect(screen.getAllByTestId('checkin-day-mark').filter((mark) => mark.textContent === '✓')).toHaveLength(2);
  });

  it('once today is done its cell is ticked and says 已签到', () => {
    render(<CheckInCalendar days={calendar(true)} />);
    const today = screen.getAllByTestId('checkin-day')[2];
    expect(today.className).toContain('checkin-day--done');
    expect(today.textContent).toContain('✓');
    expect(today.textContent).toContain('已签到');
  });
});
