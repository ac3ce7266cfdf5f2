import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { productCard } from '../../stores/order-fixtures';
import { ProductGrid } from './index';

describe('ProductGrid', () => {
  it('shows each product’s name and price from, and opens the tapped one', () => {
    const onOpen = vi.fn();
    const mug = productCard({ productId: 'prd-mug', name: '樱花陶瓷马克杯', priceFrom: 4950, priceTo: 5900 });
    render(<ProductGrid products={[productCard(), mug]} onOpen={onOpen} />);
    const tile = screen.getByTestId('product-prd-mug');
    expect(within(tile).getByTestId('product-name').textContent).toBe('樱花陶瓷马克杯');
    expect(within(tile).getByTestId('product-price').textContent).toBe('¥49.50起');
    fireEvent.click(tile);
    expect(onOpen).toHaveBeenCalledWith(mug);
  });

  it('says 起 only when the SKUs differ in price', () => {
    render(<ProductGrid products={[productCard({ productId: 'prd-one', priceFrom: 6900, priceTo: 6900 })]} onOpen={() => undefined} />);
    expect(within(screen.getByTestId('product-prd-one')).getByTestId('product-price').textContent).toBe('¥69.00');
  });

  it('a sold-out product says so; one without a picture shows a placeholder, not a broken image', () => {
    render(<ProductGrid products={[productCard({ soldOut: true, imageUrl: null })]} onOpen={() => undefined} />);
    const tile = screen.getByTestId('product-prd-tea');
    expect(within(tile).getByTestId('product-sold-out').textContent).toBe('已售罄');
    expect(within(tile).getByTestId('product-placeholder').textContent).toBe('明');
    expect(tile.querySelector('img')).toBeNull();
  });
});
