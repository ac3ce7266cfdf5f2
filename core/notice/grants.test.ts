import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import templatesFile from '../../cloud/subscribe-templates.json';
import type { NoticeTemplates } from './builders';
import {
  ASK_MOMENTS,
  applyGrantAnswer,
  askableTemplates,
  GRANT_ANSWERS,
  type GrantAnswer,
  type GrantCounts,
  grantChange,
  MAX_TEMPLATES_PER_ASK,
  NO_GRANT,
} from './grants';

const config = templatesFile as unknown as NoticeTemplates;
const TEMPLATE_IDS = config.templates.map((t) => t.id);

const answer = fc.constantFrom(...GRANT_ANSWERS);
const answers = fc.array(answer, { maxLength: 40 });
const counts: fc.Arbitrary<GrantCounts> = fc.record({
  remaining: fc.nat({ max: 50 }),
  accepted: fc.nat({ max: 50 }),
  rejected: fc.nat({ max: 50 }),
  banned: fc.boolean(),
});
const replay = (start: GrantCounts, list: readonly GrantAnswer[]) => list.reduce(applyGrantAnswer, start);

describe('applyGrantAnswer', () => {
  it('accept adds one grant and lifts a ban; reject and ban add none; filter changes nothing', () => {
    fc.assert(
      fc.property(counts, answer, (before, a) => {
        const after = applyGrantAnswer(before, a);
        expect(after.remaining - before.remaining).toBe(a === 'accept' ? 1 : 0);
        expect(after.accepted - before.accepted).toBe(a === 'accept' ? 1 : 0);
        expect(after.rejected - before.rejected).toBe(a === 'reject' || a === 'ban' ? 1 : 0);
        expect(after.banned).toBe(a === 'ban' ? true : a === 'accept' ? false : before.banned);
        if (a === 'filter') expect(after).toEqual(before);
      }),
    );
  });

  it('never makes remaining negative, whatever the answers; the counts are the answers counted', () => {
    fc.assert(
      fc.property(answers, (list) => {
        let current = NO_GRANT;
        for (const a of list) {
          current = applyGrantAnswer(current, a);
          expect(current.remaining).toBeGreaterThanOrEqual(0);
          expect(current.accepted).toBeGreaterThanOrEqual(0);
          expect(current.rejected).toBeGreaterThanOrEqual(0);
        }
        const n = (which: GrantAnswer) => list.filter((a) => a === which).length;
        expect(current.remaining).toBe(n('accept'));
        expect(current.accepted).toBe(n('accept'));
        expect(current.rejected).toBe(n('reject') + n('ban'));
      }),
    );
  });

  it('a ban sticks until the member accepts again (lifting it in WeChat’s settings), never through reject or filter', () => {
    fc.assert(
      fc.property(counts, answers, (start, list) => {
        const banned = replay(start, ['ban', ...list]).banned;
        const lastSay = [...list].reverse().find((a) => a === 'accept' || a === 'ban');
        expect(banned).toBe(lastSay !== 'accept');
        // Asking again is off for a banned template: it is never offered while the ban holds.
        if (banned) expect(askableTemplates(['TPL_X'], new Map([['TPL_X', replay(start, ['ban', ...list])]]))).toEqual([]);
      }),
    );
  });

  it('the change is increments: concurrent answers add up in any order (the counts, not the ban)', () => {
    fc.assert(
      fc.property(counts, answers, fc.infiniteStream(fc.integer()), (start, list, keys) => {
        const it = keys[Symbol.iterator]();
        const shuffled = list
          .map((a) => [it.next().value as number, a] as const)
          .sort((x, y) => x[0] - y[0])
          .map(([, a]) => a);
        const a = replay(start, list);
        const b = replay(start, shuffled);
        expect([a.remaining, a.accepted, a.rejected]).toEqual([b.remaining, b.accepted, b.rejected]);
        // And what the server stores by `_.inc` equals what applying the answers computes.
        const summed = list.map(grantChange).reduce(
          (total, change) => ({
            remaining: total.remaining + change.remaining,
            accepted: total.accepted + change.accepted,
            rejected: total.rejected + change.rejected,
          }),
          { remaining: start.remaining, accepted: start.accepted, rejected: start.rejected },
        );
        expect({ remaining: a.remaining, accepted: a.accepted, rejected: a.rejected }).toEqual(summed);
      }),
    );
  });
});

describe('askableTemplates', () => {
  const id = fc.constantFrom(...TEMPLATE_IDS, 'TPL_OTHER_1', 'TPL_OTHER_2');
  const candidates = fc.array(id, { maxLength: 10 });
  const ledger = fc
    .array(
      fc.tuple(
        id,
        fc.record({
          remaining: fc.integer({ min: -1, max: 3 }),
          accepted: fc.nat({ max: 5 }),
          rejected: fc.nat({ max: 5 }),
          banned: fc.boolean(),
        }),
      ),
      { maxLength: 10 },
    )
    .map((entries) => new Map(entries));
  const eligible = (grants: ReadonlyMap<string, GrantCounts>, t: string) => {
    const grant = grants.get(t);
    return !grant || (!grant.banned && grant.remaining <= 0);
  };

  it('at most 3, none held or banned, no repeats, in the order given, and none left out below the cap', () => {
    fc.assert(
      fc.property(candidates, ledger, (list, grants) => {
        const asked = askableTemplates(list, grants);
        expect(asked.length).toBeLessThanOrEqual(MAX_TEMPLATES_PER_ASK);
        expect(new Set(asked).size).toBe(asked.length);
        for (const t of asked) {
          expect(list).toContain(t);
          expect(eligible(grants, t), t).toBe(true);
          const grant = grants.get(t);
          if (grant) {
            expect(grant.banned).toBe(false);
            expect(grant.remaining).toBeLessThanOrEqual(0);
          }
        }
        // The first eligible candidates, in order: exactly the eligible ones, cut at the cap.
        const expected = [...new Set(list)].filter((t) => eligible(grants, t)).slice(0, MAX_TEMPLATES_PER_ASK);
        expect(asked).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('offers only the templates of the moment the app asks at (cloud/subscribe-templates.json `asks`)', () => {
    const asks = config.asks ?? {};
    expect(Object.keys(asks).sort()).toEqual([...ASK_MOMENTS].sort());
    fc.assert(
      fc.property(fc.constantFrom(...ASK_MOMENTS), ledger, (moment, grants) => {
        const offered = asks[moment] ?? [];
        const asked = askableTemplates(offered, grants);
        for (const t of asked) expect(offered).toContain(t);
        expect(asked.length).toBeLessThanOrEqual(MAX_TEMPLATES_PER_ASK);
      }),
    );
  });

  it('stops offering a template once the member holds a grant for it, and offers it again once used up', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ASK_MOMENTS), fc.nat({ max: 2 }), (moment, which) => {
        const offered = config.asks?.[moment] ?? [];
        const t = offered[which % offered.length];
        const held = applyGrantAnswer(NO_GRANT, 'accept');
        expect(askableTemplates(offered, new Map([[t, held]]))).not.toContain(t);
        // The dispatcher took the grant (remaining back to 0): worth asking again.
        expect(askableTemplates(offered, new Map([[t, { ...held, remaining: 0 }]]))).toContain(t);
      }),
    );
  });
});
