import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateTemplate } from './template';

const valid = () => ({
  name: '新人专享券',
  terms: { kind: 'threshold_off', threshold: 10_000, amountOff: 2_000 },
  validity: { type: 'days_after_claim', days: 7 },
  totalStock: 1000,
  perMemberLimit: 1,
  claimWindow: { startsAt: '2030-01-01T00:00:00+08:00', endsAt: '2030-02-01T00:00:00+08:00' },
  eligibility: { newMembersWithinDays: 7 },
  scope: { productIds: ['p1', 'p2'] },
});

function problemsOf(input: unknown) {
  const result = validateTemplate(input);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

function paths(input: unknown): string[] {
  return problemsOf(input).map((problem) => problem.path);
}

describe('validateTemplate', () => {
  it('accepts a complete template and reads times into Dates', () => {
    const result = validateTemplate(valid());
    expect(result).toEqual({
      ok: true,
      template: {
        ...valid(),
        claimWindow: { startsAt: new Date('2029-12-31T16:00:00Z'), endsAt: new Date('2030-01-31T16:00:00Z') },
      },
    });
  });

  it('accepts every kind of terms, validity, eligibility and scope', () => {
    for (const terms of [
      { kind: 'amount_off', amountOff: 500 },
      { kind: 'no_threshold', amountOff: 1 },
      { kind: 'percent_off', percentOff: 1, cap: 1 },
      { kind: 'percent_off', percentOff: 99, cap: 5_000 },
      { kind: 'threshold_off', threshold: 2, amountOff: 1 },
    ]) {
      expect(validateTemplate({ ...valid(), terms }).ok).toBe(true);
    }
    expect(
      validateTemplate({
        ...valid(),
        validity: { type: 'fixed', startsAt: new Date('2030-01-01T00:00:00Z'), endsAt: '2030-03-01T00:00:00Z' },
      }).ok,
    ).toBe(true);
    for (const eligibility of ['anyone', { newMembersWithinDays: 0 }, { campaign: 'spring-2030' }, { article: 'a_42' }]) {
      expect(validateTemplate({ ...valid(), eligibility }).ok).toBe(true);
    }
    expect(validateTemplate({ ...valid(), scope: 'all' }).ok).toBe(true);
  });

  it('reports every problem at once, each at its path, in Chinese', () => {
    const problems = problemsOf({
      name: '  ',
      terms: { kind: 'percent_off', percentOff: 100, cap: 0 },
      validity: { type: 'days_after_claim', days: 0 },
      totalStock: 0,
      perMemberLimit: 1.5,
      claimWindow: { startsAt: '2030-02-01T00:00:00+08:00', endsAt: '2030-01-01T00:00:00+08:00' },
      eligibility: { campaign: '' },
      scope: { productIds: [] },
    });
    expect(problems.map((p) => p.path)).toEqual([
      'name',
      'terms.percentOff',
      'terms.cap',
      'validity.days',
      'totalStock',
      'perMemberLimit',
      'claimWindow.endsAt',
      'eligibility.campaign',
      'scope.productIds',
    ]);
    // Operators read these (admin jobs): English, each naming what to fix.
    for (const problem of problems) expect(problem.reason).toMatch(/^[\x20-\x7e]*[a-z]{3}/);
  });

  it('wants 满减 thresholds above the amount off', () => {
    expect(paths({ ...valid(), terms: { kind: 'threshold_off', threshold: 2_000, amountOff: 2_000 } })).toEqual(['terms.threshold']);
    expect(paths({ ...valid(), terms: { kind: 'threshold_off', threshold: 1_000, amountOff: 2_000 } })).toEqual(['terms.threshold']);
  });

  it('refuses money that is not whole positive fen', () => {
    for (const amountOff of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '500', null, { $gt: 0 }, [500], 1_000_001]) {
      expect(paths({ ...valid(), terms: { kind: 'amount_off', amountOff } })).toEqual(['terms.amountOff']);
    }
  });

  it('refuses operator objects and unknown fields anywhere', () => {
    expect(paths({ ...valid(), totalStock: { $gt: 0 } })).toEqual(['totalStock']);
    expect(paths({ ...valid(), eligibility: { campaign: { $ne: null } } })).toEqual(['eligibility.campaign']);
    expect(paths({ ...valid(), eligibility: { $where: 'true' } })).toEqual(['eligibility.$where']);
    expect(paths({ ...valid(), eligibility: { campaign: 'c', article: 'a' } })).toEqual(['eligibility']);
    expect(paths({ ...valid(), $set: { totalStock: 1 } })).toEqual(['$set']);
    expect(paths({ ...valid(), terms: { kind: 'amount_off', amountOff: 1, threshold: 5 } })).toEqual(['terms.threshold']);
    expect(paths({ ...valid(), scope: { productIds: ['$p'] } })).toEqual(['scope.productIds[0]']);
    expect(paths({ ...valid(), scope: { productIds: { $in: ['p'] } } })).toEqual(['scope.productIds']);
  });

  it('wants product ids unique, non-empty, short and without spaces', () => {
    expect(paths({ ...valid(), scope: { productIds: ['p1', 'p2', 'p1'] } })).toEqual(['scope.productIds[2]']);
    expect(paths({ ...valid(), scope: { productIds: ['', 'a b', 'x'.repeat(65), 7] } })).toEqual([
      'scope.productIds[0]',
      'scope.productIds[1]',
      'scope.productIds[2]',
      'scope.productIds[3]',
    ]);
  });

  it('wants times with an offset and windows that end after they start', () => {
    expect(paths({ ...valid(), claimWindow: { startsAt: '2030-01-01', endsAt: '2030-02-01T00:00:00Z' } })).toEqual([
      'claimWindow.startsAt',
    ]);
    expect(paths({ ...valid(), claimWindow: { startsAt: new Date('nope'), endsAt: '2030-02-01T00:00:00Z' } })).toEqual([
      'claimWindow.startsAt',
    ]);
    expect(paths({ ...valid(), claimWindow: { startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' } })).toEqual([
      'claimWindow.endsAt',
    ]);
    expect(paths({ ...valid(), claimWindow: { startsAt: 1893427200000, endsAt: '2030-02-01T00:00:00Z' } })).toEqual([
      'claimWindow.startsAt',
    ]);
  });

  it('keeps a fixed validity from ending before claiming closes, and the per-member limit within stock', () => {
    const validity = { type: 'fixed', startsAt: '2030-01-01T00:00:00+08:00', endsAt: '2030-01-15T00:00:00+08:00' };
    expect(paths({ ...valid(), validity })).toEqual(['validity.endsAt']);
    expect(paths({ ...valid(), totalStock: 2, perMemberLimit: 3 })).toEqual(['perMemberLimit']);
  });

  it('refuses what is not an object', () => {
    for (const input of [null, undefined, 'coupon', 42, [valid()]]) expect(paths(input)).toEqual(['']);
  });

  it('never throws and accepts exactly the percents 1–99 with a positive cap', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (percentOff, cap) => {
        const result = validateTemplate({ ...valid(), terms: { kind: 'percent_off', percentOff, cap } });
        const good =
          Number.isInteger(percentOff) &&
          (percentOff as number) >= 1 &&
          (percentOff as number) <= 99 &&
          Number.isInteger(cap) &&
          (cap as number) >= 1 &&
          (cap as number) <= 1_000_000;
        expect(result.ok).toBe(good);
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.object({ maxDepth: 3 }), (input) => {
        const result = validateTemplate(input);
        if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
      }),
    );
  });
});
