import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adminContract } from '../contracts/admin';
import { type KeywordReply, type KeywordRule, matchKeyword } from '../mp/keyword-reply';
import { duplicateRules, type KeywordRuleInput, normalizeKeyword, ruleIdentity, toKeywordRule } from './keyword-rules';

const reply: KeywordReply = { type: 'text', content: '欢迎' };
const match = fc.constantFrom<KeywordRule['match']>('exact', 'contains');
// Case and surrounding whitespace variants of a few words, so duplicates are frequent.
const keyword = fc
  .tuple(
    fc.constantFrom('', ' ', '　', '\t'),
    fc.constantFrom('会员', 'VIP', 'vip', 'Vip', '__proto__', 'constructor', 'a:b', 'a', 'b'),
    fc.constantFrom('', ' ', '\n'),
  )
  .map(([before, word, after]) => `${before}${word}${after}`);
const ruleKey = fc.record({ keyword, match });

describe('keyword rule identity', () => {
  it('normalizes as the gateway compares: trimmed, lower case, and stable', () => {
    expect(normalizeKeyword('  VIP会员 \n')).toBe('vip会员');
    expect(normalizeKeyword('　会员　')).toBe('会员');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (raw) => {
        const once = normalizeKeyword(raw);
        expect(normalizeKeyword(once)).toBe(once);
        expect(once).toBe(once.trim());
      }),
    );
  });

  it('two rules share an identity exactly when they have the same match and normalized keyword', () => {
    fc.assert(
      fc.property(ruleKey, ruleKey, (a, b) => {
        const same = a.match === b.match && normalizeKeyword(a.keyword) === normalizeKeyword(b.keyword);
        expect(ruleIdentity(a) === ruleIdentity(b)).toBe(same);
      }),
    );
    expect(ruleIdentity({ keyword: 'a:b', match: 'exact' })).not.toBe(ruleIdentity({ keyword: 'b', match: 'exact' }));
    expect(ruleIdentity({ keyword: 'contains:x', match: 'exact' })).not.toBe(ruleIdentity({ keyword: 'x', match: 'contains' }));
  });

  it('rules with one identity answer every message the same way, so keeping one loses nothing', () => {
    fc.assert(
      fc.property(ruleKey, ruleKey, fc.oneof(keyword, fc.string()), (a, b, message) => {
        fc.pre(ruleIdentity(a) === ruleIdentity(b));
        const asRule = (k: typeof a): KeywordRule => ({ _id: 'x', ...k, priority: 1, reply });
        expect(matchKeyword([asRule(a)], message) === null).toBe(matchKeyword([asRule(b)], message) === null);
      }),
    );
  });

  it('a 60 KB keyword keeps all of it in its identity', () => {
    const long = 'x'.repeat(60 * 1024);
    expect(ruleIdentity({ keyword: `${long}a`, match: 'exact' })).not.toBe(ruleIdentity({ keyword: `${long}b`, match: 'exact' }));
    expect(
      duplicateRules([
        { keyword: `${long}a`, match: 'exact' },
        { keyword: ` ${long}A `, match: 'exact' },
      ]),
    ).toEqual([{ index: 1, first: 0 }]);
  });
});

describe('duplicate rules', () => {
  it('names each repeat with the index of the first rule it repeats', () => {
    expect(
      duplicateRules([
        { keyword: '会员', match: 'exact' },
        { keyword: 'VIP', match: 'exact' },
        { keyword: ' 会员 ', match: 'exact' },
        { keyword: '会员', match: 'contains' },
        { keyword: 'vip', match: 'exact' },
        { keyword: '会员', match: 'exact' },
      ]),
    ).toEqual([
      { index: 2, first: 0 },
      { index: 4, first: 1 },
      { index: 5, first: 0 },
    ]);
  });

  it('prototype keys are keywords like any other', () => {
    expect(
      duplicateRules([
        { keyword: 'constructor', match: 'exact' },
        { keyword: '__proto__', match: 'exact' },
        { keyword: 'toString', match: 'contains' },
      ]),
    ).toEqual([]);
    expect(
      duplicateRules([
        { keyword: '__proto__', match: 'contains' },
        { keyword: '__PROTO__', match: 'contains' },
      ]),
    ).toEqual([{ index: 1, first: 0 }]);
  });

  it('nothing repeats in an empty or a single-rule set', () => {
    expect(duplicateRules([])).toEqual([]);
    expect(duplicateRules([{ keyword: '', match: 'exact' }])).toEqual([]);
  });

  it('every repeat points at the earliest rule of its identity, and every rule is either first or a repeat', () => {
    fc.assert(
      fc.property(fc.array(ruleKey, { maxLength: 12 }), (rules) => {
        const duplicates = duplicateRules(rules);
        const repeated = new Set(duplicates.map((d) => d.index));
        const identities = rules.map(ruleIdentity);
        expect(duplicates.map((d) => d.index)).toEqual([...duplicates.map((d) => d.index)].sort((x, y) => x - y));
        for (const { index, first } of duplicates) {
          expect(first).toBeLessThan(index);
          expect(identities[first]).toBe(identities[index]);
          expect(identities.indexOf(identities[index])).toBe(first);
          expect(repeated.has(first)).toBe(false);
        }
        for (let i = 0; i < rules.length; i += 1) {
          expect(repeated.has(i)).toBe(identities.indexOf(identities[i]) !== i);
        }
        expect(rules.length - duplicates.length).toBe(new Set(identities).size);
      }),
    );
  });

  it('the setKeywordReplies contract refuses a repeat at its keyword, naming the first rule', () => {
    const parsed = adminContract.actions.setKeywordReplies.input.safeParse({
      rules: [
        { keyword: '会员', reply },
        { keyword: '优惠', match: 'contains', reply },
        { keyword: ' 会员 ', match: 'exact', reply },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => ({ path: issue.path, message: issue.message }))).toEqual([
      { path: ['rules', 2, 'keyword'], message: 'same keyword and match as rules.0' },
    ]);
    const distinct = adminContract.actions.setKeywordReplies.input.safeParse({
      rules: [
        { keyword: '会员', reply },
        { keyword: '会员', match: 'contains', reply },
      ],
    });
    expect(distinct.success).toBe(true);
  });
});

describe('stored rules', () => {
  it('keep the trimmed keyword as written, with the match, reply and priority given', () => {
    const input: KeywordRuleInput = {
      keyword: '  VIP会员 ',
      match: 'contains',
      reply: { type: 'miniprogrampage', title: '会员中心', pagepath: 'pages/member/index' },
      priority: 7,
    };
    expect(toKeywordRule('kw_1', input)).toEqual({
      _id: 'kw_1',
      keyword: 'VIP会员',
      match: 'contains',
      reply: { type: 'miniprogrampage', title: '会员中心', pagepath: 'pages/member/index' },
      priority: 7,
    });
    expect(input.keyword).toBe('  VIP会员 ');
  });

  it('a stored rule answers exactly the messages its input describes', () => {
    fc.assert(
      fc.property(ruleKey, fc.oneof(keyword, fc.string()), (key, message) => {
        const stored = toKeywordRule('kw', { ...key, reply, priority: 1 });
        expect(ruleIdentity(stored)).toBe(ruleIdentity(key));
        const raw: KeywordRule = { _id: 'raw', ...key, reply, priority: 1 };
        expect(matchKeyword([stored], message) === null).toBe(matchKeyword([raw], message) === null);
      }),
    );
  });
});
