import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { GroupPrice } from './index';

describe('GroupPrice', () => {
  it('shows the group price, the original struck through, and the saving in words', () => {
    render(<GroupPrice groupPrice={3900} originalPrice={4900} />);
    const price = screen.getByTestId('group-price');
    expect(price.textContent).toContain('¥39.00');
    expect(price.textContent).toContain('¥49.00');
    expect(price.querySelector('.nut-price-line')).not.toBeNull();
    expect(screen.getByTestId('group-saving').textContent).toBe('立省 ¥10.00');
  });

  it('says nothing of an original or a saving when the group price is no lower', () => {
    render(<GroupPrice groupPrice={4900} originalPrice={4900} />);
    expect(screen.getByTestId('group-price').textContent).toBe('¥49.00');
    expect(screen.queryByTestId('group-saving')).toBeNull();
  });

  it('leaves the saving out where space is short', () => {
    render(<GroupPrice groupPrice={3900} originalPrice={4900} saving={false} />);
    expect(screen.queryByTestId('group-saving')).toBeNull();
  });
});
