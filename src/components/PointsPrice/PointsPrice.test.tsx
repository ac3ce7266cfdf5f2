import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PointsPrice } from './index';

describe('PointsPrice', () => {
  it('points only: the points and 积分, no money', () => {
    render(<PointsPrice points={100} cash={0} />);
    expect(screen.getByTestId('points-price').textContent).toBe('100积分');
    expect(document.querySelector('.nut-price')).toBeNull();
  });

  it('points and cash: + ¥ with the fen, and the own price struck through', () => {
    render(<PointsPrice points={500} cash={990} originalPrice={4900} size="large" />);
    const text = screen.getByTestId('points-price').textContent ?? '';
    expect(text.startsWith('500积分+')).toBe(true);
    expect(text).toContain('9.90');
    expect(text).toContain('49.00');
    // Only the own price is struck through: the cash part is what the member pays.
    const prices = [...document.querySelectorAll('.nut-price')];
    expect(prices).toHaveLength(2);
    expect(prices[0].querySelector('.nut-price-line')).toBeNull();
    expect(prices[1].querySelector('.nut-price-line')).not.toBeNull();
  });
});
