import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { RefundSheet, refundReason } from './index';

describe('RefundSheet', () => {
  it('asks for a reason first, then submits it', () => {
    const onSubmit = vi.fn();
    render(<RefundSheet amount={14800} onSubmit={onSubmit} />);
    expect(screen.getByTestId('refund-sheet').textContent).toContain('¥148.00');
    const submit = screen.getByTestId('refund-submit');
    expect(submit.textContent).toBe('请选择退款原因');
    fireEvent.click(submit);
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.click(screen.getByText('不想要了'));
    expect(screen.getByTestId('refund-submit').textContent).toBe('提交申请');
    fireEvent.click(screen.getByTestId('refund-submit'));
    expect(onSubmit).toHaveBeenCalledWith('不想要了');
  });

  it('其他原因 needs a word before it can be sent', () => {
    const onSubmit = vi.fn();
    render(<RefundSheet amount={14800} onSubmit={onSubmit} />);
    fireEvent.click(screen.getByText('其他原因'));
    fireEvent.click(screen.getByTestId('refund-submit'));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('keeps the note after the reason', () => {
    expect(refundReason('商品降价了', '  差价太大 ')).toBe('商品降价了：差价太大');
    expect(refundReason('不想要了', ' ')).toBe('不想要了');
  });
});
