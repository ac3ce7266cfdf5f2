import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowestPrice, MAX_PRICE_FEN, specLabel, updateProblems, validateProduct } from './product';

const IMAGE = 'cloud://duet-local.6475-duet-local-1300000000/products/a.png';

function productInput(overrides: Record<string, unknown> = {}) {
  return {
    name: '纯棉短袖T恤',
    description: '春季新款，舒适透气。',
    images: [IMAGE],
    onShelf: true,
    skus: [
      { id: 'sku-tee-red-m', specs: { 颜色: '红', 尺码: 'M' }, price: 9900, stock: 10 },
      { id: 'sku-tee-red-l', specs: { 颜色: '红', 尺码: 'L' }, price: 10900, stock: 0 },
    ],
    ...overrides,
  };
}

const paths = (input: unknown) => {
  const result = validateProduct(input);
  return result.ok ? [] : result.problems.map((p) => p.path);
};

describe('validateProduct', () => {
  it('accepts a valid product, trimming its texts, keeping the SKUs in order', () => {
    const result = validateProduct(productInput({ name: '  纯棉短袖T恤 ' }));
    expect(result).toEqual({
      ok: true,
      product: {
        name: '纯棉短袖T恤',
        description: '春季新款，舒适透气。',
        images: [IMAGE],
        onShelf: true,
        skus: [
          { id: 'sku-tee-red-m', specs: { 颜色: '红', 尺码: 'M' }, price: 9900, stock: 10 },
          { id: 'sku-tee-red-l', specs: { 颜色: '红', 尺码: 'L' }, price: 10900, stock: 0 },
        ],
      },
    });
  });

  it('defaults to off the shelf and an empty description; one SKU may have no specs', () => {
    const { onShelf: _o, description: _d, ...rest } = productInput({ skus: [{ id: 'sku-1', specs: {}, price: 1, stock: 0 }] });
    const result = validateProduct(rest);
    expect(result.ok && result.product).toMatchObject({ onShelf: false, description: '' });
  });

  it('reports every problem at once, each at its path with an English reason', () => {
    const result = validateProduct({
      name: 'x'.repeat(31),
      images: ['https://example.com/a.png'],
      onShelf: 'yes',
      colour: 'red',
      skus: [
        { id: 'sku-a', specs: { 颜色: '红' }, price: 0, stock: -1 },
        { id: 'sku-a', specs: { 颜色: '红' }, price: 1.5, stock: 1 },
        { id: 'sku-c', specs: { 尺码: 'M' }, price: MAX_PRICE_FEN + 1, stock: 1, extra: true },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path).sort()).toEqual(
      [
        'name',
        'images[0]',
        'onShelf',
        'colour',
        'skus[0].price',
        'skus[0].stock',
        'skus[1].id',
        'skus[1].specs',
        'skus[1].price',
        'skus[2].extra',
        'skus[2].specs',
        'skus[2].price',
      ].sort(),
    );
    for (const problem of result.problems) expect(problem.reason).toMatch(/^[\x20-\x7e\u4e00-\u9fff…]+$/);
    expect(result.problems.find((p) => p.path === 'images[0]')?.reason).toContain('never loads external URLs');
    expect(result.problems.find((p) => p.path === 'skus[1].specs')?.reason).toContain('skus[0]');
  });

  it('needs 1 to 9 images, distinct, and 1 to 50 SKUs', () => {
    expect(paths(productInput({ images: [] }))).toEqual(['images']);
    expect(paths(productInput({ images: Array.from({ length: 10 }, (_, i) => `${IMAGE}${i}`) }))).toEqual(['images']);
    expect(paths(productInput({ images: [IMAGE, IMAGE] }))).toEqual(['images[1]']);
    expect(paths(productInput({ skus: [] }))).toEqual(['skus']);
    const many = Array.from({ length: 51 }, (_, i) => ({ id: `s${i}`, specs: { 号: String(i) }, price: 1, stock: 1 }));
    expect(paths(productInput({ skus: many }))).toEqual(['skus']);
  });

  it('counts a name in characters as people do (30 Chinese characters pass, 31 do not)', () => {
    expect(paths(productInput({ name: '春'.repeat(30) }))).toEqual([]);
    expect(paths(productInput({ name: '春'.repeat(31) }))).toEqual(['name']);
    expect(paths(productInput({ name: '   ' }))).toEqual(['name']);
  });

  it('refuses SKUs of one product that name different specs, and several SKUs without specs', () => {
    const skus = [
      { id: 'a', specs: { 颜色: '红' }, price: 1, stock: 1 },
      { id: 'b', specs: { 颜色: '蓝', 尺码: 'M' }, price: 1, stock: 1 },
    ];
    expect(paths(productInput({ skus }))).toEqual(['skus[1].specs']);
    const bare = [
      { id: 'a', specs: {}, price: 1, stock: 1 },
      { id: 'b', specs: {}, price: 1, stock: 1 },
    ];
    expect(paths(productInput({ skus: bare }))).toEqual(['skus[0].specs', 'skus[1].specs']);
  });

  it('refuses hostile input: operator objects, operator keys, dotted and prototype keys, huge strings, deep nesting', () => {
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 10_000; i += 1) {
      at.a = {};
      at = at.a as Record<string, unknown>;
    }
    const hostile = JSON.parse(
      JSON.stringify({
        name: { $ne: null },
        description: 'x'.repeat(60 * 1024),
        images: [{ $gt: '' }],
        skus: [
          { id: '$where', specs: { $set: 'x', 'a.b': 'y' }, price: { $gt: 0 }, stock: '10' },
          { id: 'ok', specs: 'PROTO', price: 1, stock: 1 },
        ],
      }).replace('"PROTO"', '{"__proto__":"x"}'),
    );
    const found = paths(hostile);
    expect(found).toEqual(
      expect.arrayContaining([
        'name',
        'description',
        'images[0]',
        'skus[0].id',
        'skus[0].specs.$set',
        'skus[0].specs.a.b',
        'skus[0].price',
        'skus[0].stock',
        'skus[1].specs.__proto__',
      ]),
    );
    expect(paths(productInput({ description: deep }))).toEqual(['description']);
    expect(paths(productInput({ skus: [{ id: 'a', specs: deep, price: 1, stock: 1 }] }))).toEqual(['skus[0].specs.a']);
    // A 60 KB key is named, shortened, in the problem: the answer stays small.
    const result = validateProduct({ ...productInput(), ['k'.repeat(60 * 1024)]: 1 });
    expect(JSON.stringify(result).length).toBeLessThan(1000);
    expect(validateProduct(null)).toEqual({ ok: false, problems: [{ path: '', reason: 'a product is a JSON object' }] });
    expect(validateProduct([productInput()]).ok).toBe(false);
  });

  it('property: any accepted product has prices of whole fen ≥ 1, stock ≥ 0, unique SKU ids and spec combinations', () => {
    const sku = fc.record({
      id: fc.oneof(fc.constantFrom('a', 'b', 'c', '$x', ''), fc.string({ maxLength: 70 })),
      specs: fc.oneof(
        fc.dictionary(fc.constantFrom('颜色', '尺码', '$op', 'a.b'), fc.oneof(fc.constantFrom('红', '蓝', 'M'), fc.string())),
        fc.anything(),
      ),
      price: fc.oneof(fc.integer({ min: -10, max: MAX_PRICE_FEN + 10 }), fc.double(), fc.anything()),
      stock: fc.oneof(fc.integer({ min: -10, max: 100 }), fc.anything()),
    });
    fc.assert(
      fc.property(
        fc.record({
          name: fc.oneof(fc.string({ maxLength: 40 }), fc.anything()),
          images: fc.oneof(fc.array(fc.constantFrom(IMAGE, `${IMAGE}2`, 'http://x/y.png', ''), { maxLength: 10 }), fc.anything()),
          skus: fc.oneof(fc.array(sku, { maxLength: 6 }), fc.anything()),
        }),
        (input) => {
          const result = validateProduct(input);
          if (!result.ok) {
            expect(result.problems.length).toBeGreaterThan(0);
            return;
          }
          const { skus, images, name } = result.product;
          expect([...name].length).toBeLessThanOrEqual(30);
          expect(images.every((image) => image.startsWith('cloud://'))).toBe(true);
          for (const s of skus) {
            expect(Number.isInteger(s.price) && s.price >= 1).toBe(true);
            expect(Number.isInteger(s.stock) && s.stock >= 0).toBe(true);
            expect(s.id.startsWith('$')).toBe(false);
            for (const key of Object.keys(s.specs)) expect(key).not.toMatch(/^[$_]|\./);
          }
          expect(new Set(skus.map((s) => s.id)).size).toBe(skus.length);
          expect(new Set(skus.map((s) => JSON.stringify(s.specs))).size).toBe(skus.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: a problem in one field is reported however broken the others are (nothing hides another)', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (name, skus) => {
        const result = validateProduct({ name, images: ['https://cdn.example.com/a.png'], skus });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.problems.map((p) => p.path)).toContain('images[0]');
      }),
    );
  });
});

describe('updateProblems', () => {
  const ids = ['sku-1', 'sku-2'];
  it('lists unknown and repeated SKUs and empty changes, all at once', () => {
    expect(updateProblems({}, 'prd-1', ids)).toEqual([{ path: '', reason: expect.stringContaining('say what to change') }]);
    expect(
      updateProblems(
        { skus: [{ skuId: 'sku-1', price: 100 }, { skuId: 'sku-9', addStock: 1 }, { skuId: 'sku-1', addStock: 1 }, { skuId: 'sku-2' }] },
        'prd-1',
        ids,
      ).map((p) => p.path),
    ).toEqual(['skus[1].skuId', 'skus[2].skuId', 'skus[3]']);
    expect(updateProblems({ onShelf: false }, 'prd-1', ids)).toEqual([]);
  });
});

describe('lowestPrice and specLabel', () => {
  it('reads the lowest price and the specs in words', () => {
    expect(lowestPrice([{ price: 300 }, { price: 100 }, { price: 200 }])).toBe(100);
    expect(specLabel({ 颜色: '红', 尺码: 'M' })).toBe('红 / M');
  });
});
