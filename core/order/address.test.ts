import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressInput } from '../contracts/order';
import { addressErrors, isCompleteAddress, normalizeAddress } from './address';

const good = { name: '张三', phone: '138 0013 8000', region: '浙江省 杭州市 西湖区', detail: '文三路 100 号' };

describe('addressErrors', () => {
  it('accepts a complete address, phone spaces and all', () => {
    expect(addressErrors(good)).toEqual({});
    expect(normalizeAddress(good).phone).toBe('13800138000');
    expect(isCompleteAddress(good)).toBe(true);
  });

  it('names each missing or wrong field in Chinese', () => {
    expect(addressErrors({ name: ' ', phone: '', region: '', detail: '' })).toEqual({
      name: '请填写收货人姓名',
      phone: '请填写手机号码',
      region: '请填写所在地区',
      detail: '请填写详细地址',
    });
    expect(addressErrors({ ...good, phone: '1380013800' }).phone).toBe('请输入11位手机号码');
    expect(addressErrors({ ...good, phone: '23800138000' }).phone).toBe('请输入11位手机号码');
    expect(addressErrors({ ...good, name: '张'.repeat(21) }).name).toBe('收货人姓名不能超过20个字');
    expect(addressErrors({ ...good, detail: '路'.repeat(121) }).detail).toBe('详细地址不能超过120个字');
  });

  it('passes exactly what the order contract accepts', () => {
    const text = fc.string({ maxLength: 130, unit: 'binary' });
    fc.assert(
      fc.property(
        fc.record({ name: text, phone: fc.oneof(text, fc.stringMatching(/^1\d{10}$/)), region: text, detail: text }),
        (address) => {
          const contract = AddressInput.safeParse(normalizeAddress(address)).success;
          expect(isCompleteAddress(address)).toBe(contract);
        },
      ),
    );
  });
});
