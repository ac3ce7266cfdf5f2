import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import templatesFile from '../../cloud/subscribe-templates.json';
import {
  buildMpTemplateMessage,
  buildSubscribeMessage,
  NOTICE_KINDS,
  type NoticeKind,
  type NoticeTemplates,
} from '../../core/notice/builders';
import { keywordValueValid } from '../../emulator/src/openapi/templates';

/**
 * 47003 is impossible for builder output: for every notice kind the templates file maps, whatever
 * text each field of the notice holds (Chinese, emoji and other astral code points, ZWJ sequences,
 * combining marks, control characters, lone surrogates, 60 KB of any of them), every keyword of the
 * subscription message passes the local cloud's check of WeChat's limits (`keywordValueValid`, the
 * check `subscribeMessage.send` applies there, which also refuses a blank value), and every field of
 * the 公众号 fallback is one non-blank line of at most 20 characters.
 */
const config = templatesFile as unknown as NoticeTemplates;
const KINDS = Object.keys(config.notices) as NoticeKind[];

const UNITS = [
  '春',
  '季',
  '会',
  '员',
  '𠮷', // astral Han (U+20BB7)
  '🎉',
  '😀',
  '👨‍👩‍👧', // a ZWJ sequence
  '🇨🇳', // a flag: two regional indicators
  '👍🏽', // an emoji with a skin-tone modifier
  '❤️', // with a variation selector
  'e\u0301', // a combining acute accent
  '\u0300\u0301\u0302\u0303', // combining marks with nothing to combine with
  'Z̴̡̛̪͉a̶̗͒l̵̥̈g̶͍̓o̸̻͝',
  '𝒜',
  'A',
  'z',
  '9',
  '0',
  ' ',
  '\u3000', // ideographic space
  '\u00a0',
  '\n',
  '\t',
  '\u0000',
  '\u200b', // zero-width space (Cf)
  '\u200d', // ZWJ alone
  '\ufeff',
  '\u2028',
  '\ud800', // a lone high surrogate
  '\udfff', // a lone low surrogate
  '¥',
  '￥',
  '.',
  '-',
  '+',
  '(',
  '元',
  '%',
  '<',
  '&',
];
const SIXTY_KB = 60 * 1024;
/** One unit repeated to about 60 KB (of UTF-16), or a mix of units repeated that far. */
const huge = fc
  .array(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 4 })
  .map((units) => units.join(''))
  .map((chunk) => chunk.repeat(Math.ceil(SIXTY_KB / chunk.length)));
const text = fc.oneof(
  { arbitrary: fc.string({ unit: fc.constantFrom(...UNITS), maxLength: 80 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 120 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 1 },
  { arbitrary: huge, weight: 2 },
  { arbitrary: fc.constantFrom('', ' ', '\n\t', '\u200b\u200d', '0', '-1', '1e21', '59.00', '¥12.5', 'NaN'), weight: 1 },
);
/** What a field may hold: text, a number (fen, a count), or nothing at all (the builder's fallback). */
const value = fc.oneof(
  { arbitrary: text, weight: 6 },
  { arbitrary: fc.oneof(fc.integer({ min: -1e12, max: 1e12 }), fc.double({ noNaN: false })), weight: 1 },
  { arbitrary: fc.constantFrom(undefined, null, true), weight: 1 },
);
const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

/** Notice data with every field the kinds read drawn on its own; dates are dates (the features write ISO strings). */
const data = fc.record(
  {
    orderId: value,
    goods: value,
    amount: value,
    refundAmount: value,
    reason: value,
    carrier: value,
    trackingNo: value,
    name: value,
    summary: value,
    title: value,
    content: value,
    tip: value,
    points: value,
    balance: value,
    validUntil: isoDate,
    expiresAt: isoDate,
    page: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  },
  { requiredKeys: ['validUntil', 'expiresAt'] },
);

const templateOf = (id: string) => config.templates.find((t) => t.id === id);

describe('builders: 47003 is impossible for what they build', () => {
  it('covers every notice kind the features write, each mapped to a registered template', () => {
    expect([...KINDS].sort()).toEqual([...NOTICE_KINDS].sort());
    for (const kind of KINDS) expect(templateOf(config.notices[kind].template), kind).toBeDefined();
  });

  for (const kind of KINDS) {
    it(`${kind}: every keyword passes the local cloud's check, and the 公众号 fields are one short line`, () => {
      const template = templateOf(config.notices[kind].template)!;
      fc.assert(
        fc.property(data, (notice) => {
          const message = buildSubscribeMessage(config, kind, notice);
          expect(message.templateId).toBe(template.id);
          expect(Object.keys(message.data).sort()).toEqual(Object.keys(template.keywords).sort());
          for (const [keyword, type] of Object.entries(template.keywords)) {
            const fitted = message.data[keyword]?.value;
            expect(typeof fitted, keyword).toBe('string');
            const shown = `${kind} ${keyword} (${type}) = ${JSON.stringify(fitted).slice(0, 80)}`;
            // Both of the local cloud's 47003 checks: not blank, and valid for the keyword's type.
            expect(fitted.trim(), shown).not.toBe('');
            expect(keywordValueValid(type, fitted), shown).toBe(true);
          }
          const mp = buildMpTemplateMessage(config, kind, notice);
          if (config.notices[kind].mp) expect(mp).not.toBeNull();
          if (mp) {
            for (const [field, { value: fitted }] of Object.entries(mp.data)) {
              const shown = `${kind} mp ${field} = ${JSON.stringify(fitted).slice(0, 80)}`;
              expect(fitted.trim(), shown).not.toBe('');
              expect([...fitted].length, shown).toBeLessThanOrEqual(20);
              expect(fitted, shown).not.toMatch(/[\n\r\u2028\u2029]/);
            }
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});
