import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { orderLine } from '../../stores/order-fixtures';
import { OrderLines } from './index';

describe('OrderLines', () => {
  it('shows each line’s name, specs, unit price and quantity', () => {
    render(<OrderLines lines={[orderLine({ specs: { 容量: '200ml', 香型: '玫瑰' }, quantity: 2, unitPrice: 6900 })]} />);
    const line = screen.getByTestId('order-line-sku-tea-250');
    expect(line.textContent).toContain('明前龙井春茶礼盒');
    expect(line.textContent).toContain('200ml / 玫瑰');
    expect(line.textContent).toContain('¥69.00');
    expect(line.textContent).toContain('×2');
  });

  it('says why a line cannot be bought; a line without a picture shows a placeholder', () => {
    render(<OrderLines lines={[orderLine({ imageUrl: null })]} problems={{ 'sku-tea-250': '库存不足，仅剩0件' }} />);
    const line = screen.getByTestId('order-line-sku-tea-250');
    expect(within(line).getByTestId('order-line-problem').textContent).toBe('库存不足，仅剩0件');
    expect(line.querySelector('img')).toBeNull();
  });
});
