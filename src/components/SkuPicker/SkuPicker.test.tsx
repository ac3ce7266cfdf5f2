import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { productView } from '../../stores/order-fixtures';
import { SkuPicker } from './index';

const lotion = productView();

describe('SkuPicker', () => {
  it('asks for the specs not chosen yet and shows the lowest price', () => {
    render(<SkuPicker product={lotion} selected={{}} quantity={1} onSelect={() => undefined} onQuantity={() => undefined} />);
    expect(screen.getByTestId('sku-chosen').textContent).toBe('请选择 容量 香型');
    expect(screen.getByTestId('sku-price').textContent).toBe('¥69.00起');
    expect(screen.queryByTestId('sku-stock')).toBeNull();
  });

  it('with a SKU chosen: its price, the choice, and the stock when it runs low', () => {
    render(
      <SkuPicker
        product={lotion}
        selected={{ 容量: '200ml', 香型: '百合' }}
        quantity={1}
        onSelect={() => undefined}
        onQuantity={() => undefined}
      />,
    );
    expect(screen.getByTestId('sku-chosen').textContent).toBe('已选 200ml 百合');
    expect(screen.getByTestId('sku-price').textContent).toBe('¥69.00');
    expect(screen.getByTestId('sku-stock').textContent).toBe('仅剩 4 件');
  });

  it('a value sold out with the chosen ones is disabled and takes no tap', () => {
    const onSelect = vi.fn();
    render(<SkuPicker product={lotion} selected={{ 容量: '400ml' }} quantity={1} onSelect={onSelect} onQuantity={() => undefined} />);
    const lily = screen.getByTestId('sku-value-香型-百合');
    expect(lily.className).toContain('sku-picker__value--off');
    fireEvent.click(lily);
    expect(onSelect).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('sku-value-香型-玫瑰'));
    fireEvent.click(screen.getByTestId('sku-value-容量-400ml'));
    expect(onSelect.mock.calls).toEqual([
      ['香型', '玫瑰'],
      ['容量', '400ml'],
    ]);
    expect(screen.getByTestId('sku-value-容量-400ml').className).toContain('sku-picker__value--on');
  });
});
