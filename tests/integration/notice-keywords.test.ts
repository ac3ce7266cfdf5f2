import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitKeyword } from '../../core/notice/keywords';
import { keywordValueValid } from '../../emulator/src/openapi/templates';

/**
 * 47003 is impossible for what the builders send: any text, however long, in Chinese, emoji or control
 * characters, fitted to any keyword type, passes the local cloud's check of WeChat's limits (the same
 * check `subscribeMessage.send` applies there).
 */
const TYPES = ['thing', 'number', 'letter', 'symbol', 'character_string', 'phone_number', 'car_number', 'name', 'phrase', 'amount'];
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom('春', '季', '会', '员', '🎉', '👨‍👩‍👧', 'A', '9', ' ', '\n', '\u0000', '¥', '.', '-'), maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

describe('keyword fitting against the local cloud’s 47003 check', () => {
  it('any text fitted to any type is valid for that type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), text, (type, value) => {
        const fitted = fitKeyword(type, value);
        expect(keywordValueValid(type, fitted), `${type}: ${JSON.stringify(value)} → ${JSON.stringify(fitted)}`).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('any amount in fen and any date or time is valid', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
        expect(keywordValueValid('amount', fitKeyword('amount', fen))).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (at) => {
        expect(keywordValueValid('date', fitKeyword('date', at))).toBe(true);
        expect(keywordValueValid('time', fitKeyword('time', at))).toBe(true);
      }),
    );
  });
});
