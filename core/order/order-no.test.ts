import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderNoOf } from './order-no';

describe('orderNoOf', () => {
  it('is the Beijing time of the order and 6 digits of its id', () => {
    expect(orderNoOf('000f4241aaaaaaaaaaaaaaaaaaaaaaaa', '2026-12-03T02:05:09.000Z')).toBe('20261203100509000001');
  });

  it('is always 20 digits and the same for the same order', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-f]{32}$/),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }),
        (id, at) => {
          const no = orderNoOf(id, at);
          expect(no).toMatch(/^\d{20}$/);
          expect(orderNoOf(id, at.toISOString())).toBe(no);
        },
      ),
    );
  });
});
