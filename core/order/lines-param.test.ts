import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLinesParam, parseLinesParam } from './lines-param';

describe('lines query', () => {
  it('writes skuId*quantity joined by commas', () => {
    expect(
      formatLinesParam([
        { skuId: 'sku-a', quantity: 2 },
        { skuId: 'sku-b', quantity: 1 },
      ]),
    ).toBe('sku-a*2,sku-b*1');
  });

  it('reads back any SKU id, even one with , * % or Chinese in it', () => {
    const line = fc.record({
      skuId: fc.string({ minLength: 1, maxLength: 40 }).filter((id) => id.trim().length > 0),
      quantity: fc.integer({ min: 1, max: 99 }),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
        expect(parseLinesParam(formatLinesParam(lines))).toEqual(lines);
      }),
    );
  });

  it('refuses a missing, cut-off or hand-edited query instead of guessing', () => {
    for (const bad of [
      undefined,
      null,
      '',
      'sku-a',
      'sku-a*',
      '*2',
      'sku-a*0',
      'sku-a*-1',
      'sku-a*1.5',
      'sku-a*1000',
      'sku-a*2,',
      '%E0*1',
    ]) {
      expect(parseLinesParam(bad)).toBeNull();
    }
  });
});
