import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AddressForm, AddressSummary, maskPhone } from './index';

const address = { name: '张三', phone: '13800138000', region: '浙江省 杭州市 西湖区', detail: '文三路 100 号' };

describe('AddressForm', () => {
  it('shows each field’s problem under it and saves on tap', () => {
    const onSave = vi.fn();
    render(
      <AddressForm
        address={{ ...address, phone: '138' }}
        errors={{ phone: '请输入11位手机号码' }}
        onChange={() => undefined}
        onSave={onSave}
      />,
    );
    expect(screen.getByTestId('address-error-phone').textContent).toBe('请输入11位手机号码');
    expect(screen.queryByTestId('address-error-name')).toBeNull();
    fireEvent.click(screen.getByTestId('address-save'));
    expect(onSave).toHaveBeenCalled();
  });
});

describe('AddressSummary', () => {
  it('shows who and where with the phone masked, and 修改 opens the form', () => {
    const onEdit = vi.fn();
    render(<AddressSummary address={address} onEdit={onEdit} />);
    expect(screen.getByTestId('address-summary').textContent).toContain('张三138****8000');
    expect(screen.getByTestId('address-summary').textContent).toContain('浙江省 杭州市 西湖区 文三路 100 号');
    fireEvent.click(screen.getByTestId('address-edit'));
    expect(onEdit).toHaveBeenCalled();
    expect(maskPhone('1380013')).toBe('1380013');
  });
});
