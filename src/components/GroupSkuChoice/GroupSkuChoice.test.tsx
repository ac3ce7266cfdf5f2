import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { activityView } from '../../stores/group-fixtures';
import { GroupSkuChoice, skuLabel } from './index';

describe('GroupSkuChoice', () => {
  it('names each SKU by its specs with its group price; a sold-out one says so and cannot be chosen', () => {
    const onSelect = vi.fn();
    render(<GroupSkuChoice skus={activityView().skus} selected={null} onSelect={onSelect} />);
    expect(screen.getByTestId('group-sku-sku-mug-pink').textContent).toBe('樱粉¥39.00');
    expect(screen.getByTestId('group-sku-sku-mug-white').textContent).toBe('米白已售罄');
    fireEvent.click(screen.getByTestId('group-sku-sku-mug-white'));
    expect(onSelect).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('group-sku-sku-mug-pink'));
    expect(onSelect).toHaveBeenCalledWith('sku-mug-pink');
  });

  it('marks the chosen SKU', () => {
    render(<GroupSkuChoice skus={activityView().skus} selected="sku-mug-pink" onSelect={() => undefined} />);
    expect(screen.getByTestId('group-sku-sku-mug-pink').className).toContain('group-sku__value--on');
  });

  it('a SKU without specs is 默认', () => {
    expect(skuLabel({ specs: {} })).toBe('默认');
    expect(skuLabel({ specs: { 颜色: '樱粉', 容量: '350ml' } })).toBe('樱粉 350ml');
  });
});
