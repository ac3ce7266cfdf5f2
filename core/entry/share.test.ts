import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VisitInput } from '../contracts/member';
import { planVisit } from './plan-visit';
import { GROUP_INVITE_PAGE, LANDING_PAGE } from '../pages';
import { type ShareCard, sharePath } from './share';

const CAMPAIGN_PAGE = 'packages/campaign/detail/index';

/**
 * Reads a share path the way WeChat hands its query to the landing page: split on `&`, cut each
 * pair at its first `=`. WeChat cuts a value at any further `=`, so values must arrive encoded.
 */
function readSharePath(path: string): { page: string; query: Array<[string, string]> } {
  const [page, search = ''] = path.split('?');
  expect(path.split('?').length).toBe(2);
  const query = search.split('&').map((pair): [string, string] => {
    const [key, ...rest] = pair.split('=');
    expect(rest).toHaveLength(1);
    return [key, decodeURIComponent(rest[0])];
  });
  return { page, query };
}

function expectedQuery(card: ShareCard): Array<[string, string]> {
  const query: Array<[string, string]> = [['sharer', card.sharer]];
  if (card.campaign) query.push(['campaign', card.campaign]);
  if (card.article) query.push(['article', card.article]);
  query.push(['to', card.to]);
  if (card.id) query.push(['id', card.id]);
  return query;
}

// Everything a URL query treats specially, plus Chinese and emoji (well-formed UTF-16).
const hostile = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc
    .array(fc.constantFrom('&', '=', '?', '#', '%', '%25', '+', ' ', '/', '__proto__', '会员', '😀', 'a'), { maxLength: 6 })
    .map((p) => p.join('')),
);
const card = fc.record(
  { sharer: hostile, campaign: hostile, article: hostile, to: hostile, id: hostile },
  { requiredKeys: ['sharer', 'to'] },
) as fc.Arbitrary<ShareCard>;

describe('share card path', () => {
  it('opens the landing page with sharer, campaign, article and target, in that order', () => {
    expect(sharePath({ sharer: 'm1', campaign: 'c1', article: 'a1', to: CAMPAIGN_PAGE })).toBe(
      `/${LANDING_PAGE}?sharer=m1&campaign=c1&article=a1&to=packages%2Fcampaign%2Fdetail%2Findex`,
    );
    expect(sharePath({ sharer: 'm1', to: 'pages/index/index' })).toBe(`/${LANDING_PAGE}?sharer=m1&to=pages%2Findex%2Findex`);
  });

  it('leaves out an empty campaign, article or id rather than sending an empty value', () => {
    expect(sharePath({ sharer: 'm1', campaign: '', article: '', to: 'p', id: '' })).toBe(`/${LANDING_PAGE}?sharer=m1&to=p`);
  });

  it('carries the shared page’s id after the target (an invite card names its group)', () => {
    expect(sharePath({ sharer: 'm1', to: GROUP_INVITE_PAGE, id: 'g0123' })).toBe(
      `/${LANDING_PAGE}?sharer=m1&to=packages%2Fgroupbuy%2Fgroup%2Findex&id=g0123`,
    );
  });

  it('any card reads back exactly from its path, however hostile its values', () => {
    fc.assert(
      fc.property(card, (c) => {
        const { page, query } = readSharePath(sharePath(c));
        expect(page).toBe(`/${LANDING_PAGE}`);
        expect(query).toEqual(expectedQuery(c));
        expect(Object.fromEntries(new URLSearchParams(sharePath(c).split('?')[1]))).toEqual(Object.fromEntries(expectedQuery(c)));
      }),
    );
  });

  it('no value can end a parameter early or start a fragment', () => {
    fc.assert(
      fc.property(card, (c) => {
        const search = sharePath(c).split('?')[1];
        expect(search).not.toMatch(/[#?+ ]/);
        expect(search.split('&')).toHaveLength(expectedQuery(c).length);
      }),
    );
  });

  it('a 60 KB value is carried whole', () => {
    const sharer = '会'.repeat(20 * 1024);
    const { query } = readSharePath(sharePath({ sharer, to: 'p' }));
    expect(query[0]).toEqual(['sharer', sharer]);
  });

  it('a friend opening the card lands on the shared page, attributed to the sharer', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
    const realCard = fc.record(
      { sharer: id, campaign: id, article: id, to: fc.constantFrom(CAMPAIGN_PAGE, GROUP_INVITE_PAGE, 'pages/index/index'), id },
      { requiredKeys: ['sharer', 'to'] },
    );
    fc.assert(
      fc.property(realCard, (c) => {
        const request = Object.fromEntries(readSharePath(sharePath(c)).query);
        expect(VisitInput.safeParse(request).success).toBe(true);
        const plan = planVisit(request, { sceneDoc: null, sharerIsOtherMember: true, now: new Date('2025-01-01T00:00:00Z') });
        expect(plan.page).toBe(c.to);
        // The shared thing reaches its page; the attribution is the sharer's, never the id's.
        expect(plan.params.id).toBe(c.id);
        expect(plan.touch).toEqual({
          channel: 'share',
          sharer: c.sharer,
          ...(c.campaign ? { campaign: c.campaign } : {}),
          ...(c.article ? { article: c.article } : {}),
        });
      }),
    );
  });

  it('the visit takes the id as it takes the other keys: trimmed, 1 to 64 characters', () => {
    const base = { sharer: 'm1', to: GROUP_INVITE_PAGE };
    expect(VisitInput.parse({ ...base, id: ' g-1 ' }).id).toBe('g-1');
    expect(VisitInput.safeParse({ ...base, id: 'g'.repeat(64) }).success).toBe(true);
    expect(VisitInput.safeParse({ ...base, id: 'g'.repeat(65) }).success).toBe(false);
    expect(VisitInput.safeParse({ ...base, id: '  ' }).success).toBe(false);
    expect(VisitInput.safeParse({ ...base, id: 7 }).success).toBe(false);
  });
});
