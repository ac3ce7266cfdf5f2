import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSceneKey } from '../entry/scene';
import {
  codeFileName,
  generateSceneKey,
  GENERATED_KEY_LENGTH,
  KEY_ALPHABET,
  parseCsv,
  parseParams,
  sameTarget,
  validateBatch,
} from './article-codes';

const sceneKey = fc.stringMatching(/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/);
const cell = fc.string({ unit: fc.constantFrom('a', 'b', '春', ',', '"', '\n', ' '), maxLength: 12 });

describe('article-code rules', () => {
  it('generated keys are valid scene keys from the unambiguous alphabet', () => {
    fc.assert(
      fc.property(fc.infiniteStream(fc.nat()), (stream) => {
        const it = stream[Symbol.iterator]();
        const key = generateSceneKey((n) => (it.next().value as number) % n);
        expect(key).toHaveLength(GENERATED_KEY_LENGTH);
        expect(checkSceneKey(key).ok).toBe(true);
        expect([...key].every((ch) => KEY_ALPHABET.includes(ch))).toBe(true);
        expect(key).not.toMatch(/[01oOlIi]/);
      }),
    );
  });

  it('code file names are storage-safe and never shared by two keys', () => {
    fc.assert(
      fc.property(sceneKey, sceneKey, (a, b) => {
        expect(codeFileName(a)).toMatch(/^[A-Za-z0-9_.-]+$/);
        expect(codeFileName(a) === codeFileName(b)).toBe(a === b);
      }),
    );
    expect(codeFileName('spring-01')).toBe('spring-01');
  });

  it('targets compare regardless of param order and missing optional fields', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), fc.string()), (params) => {
        const reversed = Object.fromEntries(Object.entries(params).reverse());
        const a = { article: 'a1', channel: 'article', page: 'p/i/index', params };
        expect(sameTarget(a, { ...a, params: reversed })).toBe(true);
        expect(sameTarget(a, { ...a, article: 'a2' })).toBe(false);
      }),
    );
    expect(sameTarget({ channel: 'c', page: 'p', params: {} }, { channel: 'c', page: 'p' })).toBe(true);
    expect(sameTarget({ channel: 'c', page: 'p', campaign: 'x' }, { channel: 'c', page: 'p' })).toBe(false);
  });

  it('params survive encoding as k=v&k2=v2', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[A-Za-z0-9_]{1,8}$/), fc.string()), (params) => {
        const text = Object.entries(params)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
          .join('&');
        expect(parseParams(text)).toEqual(params);
      }),
    );
    expect(parseParams('novalue')).toBeNull();
    expect(parseParams('=x')).toBeNull();
  });

  it('CSV parsing gives back the cells that were written, with their line numbers', () => {
    const quote = (value: string) => (/[",\r\n]/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value);
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const text = ['a,b', ...rows.map((r) => r.map(quote).join(','))].join('\r\n');
        const { records, error } = parseCsv(text);
        expect(error).toBeUndefined();
        expect(records.slice(1).map((r) => r.fields)).toEqual(rows);
        let line = 2;
        records.slice(1).forEach((record, i) => {
          expect(record.line).toBe(line);
          line += 1 + (rows[i].join(',').match(/\r\n|\r|\n/g)?.length ?? 0);
        });
      }),
    );
  });

  it('a batch reports every bad row with its line and accepts the good ones', () => {
    const csv = [
      '\ufeffscene,article,page,params',
      'ok-1,art-1,pages/index/index,a=1',
      '',
      `${'x'.repeat(33)},art-1,pages/index/index,`,
      '春,art-1,pages/index/index,',
      'ok-1,art-2,pages/index/index,',
      'ok-2,,/pages/index/index,',
    ].join('\n');
    const { rows, problems } = validateBatch({ csv });
    expect(rows.map((r) => [r.line, r.scene, r.channel, r.params])).toEqual([[2, 'ok-1', 'article', { a: '1' }]]);
    expect(problems.map((p) => p.line)).toEqual([4, 5, 6, 7, 7]);
    expect(problems.find((p) => p.line === 6)?.reason).toContain('already on line 2');
    expect(validateBatch({ csv: 'scene,bogus\nx,y' }).problems[0].reason).toContain('unknown column');
    expect(validateBatch({ items: [{ article: 'a', page: 'pages/index/index', extra: 1 }] }).problems[0].line).toBe(1);
  });
});
