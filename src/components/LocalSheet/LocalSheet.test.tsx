import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openLocalSheet } from '../../services/local-sheet';
import { LocalSheetHost } from './index';

describe('LocalSheetHost', () => {
  it('asks for each template, accepting by default, and answers the choices', async () => {
    render(<LocalSheetHost />);
    let answer: unknown;
    await act(async () => {
      void openLocalSheet({ kind: 'subscribe', templateIds: ['TPL_A', 'TPL_B'], titles: { TPL_A: '拼团成功通知' } }).then((a) => {
        answer = a;
      });
    });
    expect(screen.getByText('拼团成功通知')).toBeTruthy();
    fireEvent.click(screen.getByTestId('subscribe-TPL_B'));
    await act(async () => {
      fireEvent.click(screen.getByText('确定'));
    });
    expect(answer).toEqual({ kind: 'subscribe', choices: { TPL_A: 'accept', TPL_B: 'reject' } });
    expect(screen.queryByTestId('local-sheet-subscribe')).toBeNull();
  });

  it('shows the amount in yuan and reports a confirmed, failed or cancelled payment', async () => {
    render(<LocalSheetHost />);
    for (const [button, result] of [
      ['确认支付', 'SUCCESS'],
      ['模拟支付失败', 'FAIL'],
      ['取消', 'CANCEL'],
    ] as const) {
      let answer: unknown;
      await act(async () => {
        void openLocalSheet({ kind: 'pay', outTradeNo: 'o1', totalFee: 1990, description: '冬日热饮' }).then((a) => {
          answer = a;
        });
      });
      expect(screen.getByTestId('pay-amount').textContent).toBe('¥19.90');
      await act(async () => {
        fireEvent.click(screen.getByText(button));
      });
      expect(answer).toEqual({ kind: 'pay', result });
    }
  });
});
