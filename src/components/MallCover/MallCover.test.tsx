import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MallCover } from './index';

describe('MallCover', () => {
  it('shows the picture when there is one', () => {
    const { container } = render(<MallCover imageUrl="https://cdn.example.com/mug.png" title="樱花杯" kind="product" />);
    expect(container.querySelector('img, taro-image-core')).not.toBeNull();
    expect(screen.queryByTestId('mall-cover-placeholder')).toBeNull();
  });

  it('without a picture: 券 for a coupon, the first character for a product', () => {
    render(<MallCover imageUrl={null} title="5元无门槛券" kind="coupon" />);
    expect(screen.getByTestId('mall-cover-placeholder').textContent).toBe('券');
    render(<MallCover imageUrl={null} title="樱花杯" kind="product" shape="thumb" />);
    expect(screen.getAllByTestId('mall-cover-placeholder')[1].textContent).toBe('樱');
  });

  it('a picture that fails to load gives way to the placeholder', () => {
    const { container } = render(<MallCover imageUrl="https://cdn.example.com/gone.png" title="樱花杯" kind="points_cash" />);
    const image = container.querySelector('img, taro-image-core') as Element;
    fireEvent.error(image.tagName === 'IMG' ? image : (image.querySelector('img') ?? image));
    expect(screen.getByTestId('mall-cover-placeholder').textContent).toBe('樱');
  });
});
