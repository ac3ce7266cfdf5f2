import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ProductGallery } from './index';

describe('ProductGallery', () => {
  it('shows the pictures with a counter when there is more than one', () => {
    render(<ProductGallery imageUrls={['https://cdn.example.com/1.png', 'https://cdn.example.com/2.png']} name="樱花陶瓷马克杯" />);
    expect(screen.getByTestId('gallery-counter').textContent).toBe('1/2');
  });

  it('no counter for one picture; a placeholder, not a broken image, for none', () => {
    const { unmount } = render(<ProductGallery imageUrls={['https://cdn.example.com/1.png']} name="樱花陶瓷马克杯" />);
    expect(screen.queryByTestId('gallery-counter')).toBeNull();
    unmount();
    render(<ProductGallery imageUrls={[]} name="樱花陶瓷马克杯" />);
    expect(screen.getByTestId('gallery-placeholder').textContent).toBe('樱');
  });
});
