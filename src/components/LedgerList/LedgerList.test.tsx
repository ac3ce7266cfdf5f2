import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ledgerEntry, POINTS_SERVER_TIME } from '../../stores/points-fixtures';
import { LedgerList, pointsTime } from './index';

describe('LedgerList', () => {
  it('each change: title, Shanghai time, the signed points in its colour, the balance after', () => {
    render(
      <LedgerList
        serverTime={POINTS_SERVER_TIME}
        entries={[
          ledgerEntry(),
          ledgerEntry({
            key: 'x',
            delta: -100,
            source: 'exchange',
            title: '兑换 5元无门槛券',
            at: '2026-12-03T02:30:00.000Z',
            balanceAfter: 20,
          }),
        ]}
      />,
    );
    const rows = screen.getAllByTestId('ledger-row');
    expect(rows[0].textContent).toBe('每日签到12月2日 09:00+5余额 120');
    expect(rows[1].textContent).toBe('兑换 5元无门槛券12月3日 10:30-100余额 20');
    const deltas = screen.getAllByTestId('ledger-delta');
    expect(deltas[0].className).toContain('ledger-row__delta--in');
    expect(deltas[1].className).toContain('ledger-row__delta--out');
  });

  it('a date of another year says its year', () => {
    expect(pointsTime('2025-12-31T15:00:00.000Z', POINTS_SERVER_TIME)).toBe('2025年12月31日 23:00');
    expect(pointsTime('2026-01-01T00:00:00.000Z', POINTS_SERVER_TIME)).toBe('1月1日 08:00');
  });
});
