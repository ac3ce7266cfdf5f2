import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type KeywordRule, matchKeyword } from './keyword-reply';

let serial = 0;
function rule(keyword: string, match: KeywordRule['match'], priority = 100): KeywordRule {
  serial += 1;
  return { _id: `r${serial}`, keyword, match, priority, reply: { type: 'text', content: `reply to ${keyword}` } };
}

/** The documented meaning of one rule, written out independently of the ranking. */
function triggers(candidate: KeywordRule, message: string): boolean {
  const text = message.trim().toLowerCase();
  const keyword = candidate.keyword.trim().toLowerCase();
  if (text === '' || keyword === '') return false;
  return candidate.match === 'exact' ? text === keyword : text.includes(keyword);
}

// Few letters, so keywords and messages overlap often enough to rank several hits.
const fragment = fc.constantFrom('会员', '优惠', '券', 'VIP', 'vip', 'a', 'B', ' ', '　', '\n', '');
const text = fc.array(fragment, { maxLength: 4 }).map((parts) => parts.join(''));
const ruleArb = fc.record({
  _id: fc.uuid(),
  keyword: text,
  match: fc.constantFrom<KeywordRule['match']>('exact', 'contains'),
  priority: fc.integer({ min: 0, max: 3 }),
  reply: fc.constant({ type: 'text' as const, content: 'x' }),
});

describe('keyword replies', () => {
  it('an exact rule answers the whole message, trimmed and regardless of case', () => {
    const vip = rule('VIP', 'exact');
    expect(matchKeyword([vip], 'vip')).toBe(vip);
    expect(matchKeyword([vip], '  Vip \n')).toBe(vip);
    expect(matchKeyword([vip], 'vip please')).toBeNull();
    const member = rule(' 会员 ', 'exact');
    // A full-width space is what a Chinese keyboard types; it is trimmed like any other.
    expect(matchKeyword([member], '　会员　')).toBe(member);
    expect(matchKeyword([member], '会员卡')).toBeNull();
  });

  it('a contains rule answers the keyword anywhere in the message', () => {
    const coupon = rule('优惠券', 'contains');
    expect(matchKeyword([coupon], '我想领优惠券可以吗')).toBe(coupon);
    expect(matchKeyword([coupon], '优惠')).toBeNull();
    expect(matchKeyword([rule('Free', 'contains')], 'IT IS FREE')?.keyword).toBe('Free');
  });

  it('an exact rule beats a contains rule whatever their priorities', () => {
    const contains = rule('会员', 'contains', 0);
    const exact = rule('会员', 'exact', 10_000);
    expect(matchKeyword([contains, exact], '会员')).toBe(exact);
    expect(matchKeyword([exact, contains], '会员')).toBe(exact);
    expect(matchKeyword([contains, exact], '会员卡')).toBe(contains);
  });

  it('among rules of one kind the lower priority wins, then the keyword in order', () => {
    const late = rule('券', 'contains', 5);
    const early = rule('优惠', 'contains', 1);
    expect(matchKeyword([late, early], '优惠券')).toBe(early);
    const a = rule('a', 'contains', 1);
    const b = rule('b', 'contains', 1);
    expect(matchKeyword([b, a], 'ab')).toBe(a);
    expect(matchKeyword([a, b], 'ab')).toBe(a);
  });

  it('a blank message or a blank keyword never triggers anything', () => {
    // `''.includes('')` is true: an empty contains keyword would otherwise answer every message.
    const blankContains = rule('   ', 'contains', 0);
    const blankExact = rule('', 'exact', 0);
    expect(matchKeyword([blankContains, blankExact], '随便说点什么')).toBeNull();
    expect(matchKeyword([blankContains, blankExact], '')).toBeNull();
    expect(matchKeyword([rule('会员', 'contains')], ' \n\t　')).toBeNull();
    expect(matchKeyword([], '会员')).toBeNull();
  });

  it('hostile messages and keywords are plain text', () => {
    const huge = `${'啊'.repeat(20_000)}优惠`;
    expect(huge.length).toBeGreaterThan(20_000);
    const coupon = rule('优惠', 'contains');
    expect(matchKeyword([coupon], huge)).toBe(coupon);
    expect(matchKeyword([rule('优惠', 'exact')], huge)).toBeNull();
    const proto = rule('__proto__', 'exact');
    const ctor = rule('constructor', 'contains');
    expect(matchKeyword([proto, ctor], '__PROTO__')).toBe(proto);
    expect(matchKeyword([proto, ctor], 'the constructor')).toBe(ctor);
    expect(matchKeyword([proto, ctor], 'toString')).toBeNull();
    expect(matchKeyword([rule('.*', 'contains')], 'anything')).toBeNull();
    expect(matchKeyword([rule('.*', 'contains')], 'a.*b')?.keyword).toBe('.*');
  });

  it('the answer triggers, and no triggered rule outranks it; no answer means nothing triggered', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 8 }), text, (rules, message) => {
        const answer = matchKeyword(rules, message);
        const hits = rules.filter((candidate) => triggers(candidate, message));
        if (answer === null) {
          expect(hits).toEqual([]);
          return;
        }
        expect(rules).toContain(answer);
        expect(triggers(answer, message)).toBe(true);
        for (const other of hits) {
          if (answer.match === 'contains') expect(other.match).toBe('contains');
          if (other.match === answer.match) expect(answer.priority).toBeLessThanOrEqual(other.priority);
        }
      }),
    );
  });

  it('the answer does not depend on the order the database returns the rules in', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(ruleArb, { maxLength: 8, selector: (r) => `${r.match}:${r.keyword.trim().toLowerCase()}` })
          .chain((rules) => fc.tuple(fc.constant(rules), fc.shuffledSubarray(rules, { minLength: rules.length }))),
        text,
        ([rules, shuffled], message) => {
          expect(matchKeyword(shuffled, message)?._id).toBe(matchKeyword(rules, message)?._id);
        },
      ),
    );
  });

  it('does not reorder the rules it is given', () => {
    const rules = [rule('b', 'contains', 9), rule('a', 'contains', 1), rule('ab', 'exact', 5)];
    const before = rules.map((r) => r._id);
    matchKeyword(rules, 'ab');
    expect(rules.map((r) => r._id)).toEqual(before);
  });
});
