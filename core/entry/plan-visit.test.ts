import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOME_PAGE } from '../pages';
import { NOTICE_EXPIRED_SCENE, NOTICE_UNKNOWN_SCENE, planVisit } from './plan-visit';
import type { SceneDoc } from './scene';

const now = new Date('2026-11-25T10:00:00Z');
const scene: SceneDoc = {
  _id: 'A1b2',
  article: 'art-1',
  campaign: 'camp-1',
  channel: 'article',
  page: 'packages/campaign/detail/index',
  params: { campaign: 'camp-1' },
  createdAt: now,
};

describe('planVisit', () => {
  it('routes an article code to its page and attributes it to its article', () => {
    const plan = planVisit({ scene: 'A1b2' }, { sceneDoc: scene, sharerIsOtherMember: false, now });
    expect(plan).toEqual({
      page: 'packages/campaign/detail/index',
      params: { campaign: 'camp-1' },
      notice: null,
      touch: { scene: 'A1b2', article: 'art-1', campaign: 'camp-1', channel: 'article' },
    });
  });

  it('lands unknown, invalid and expired codes on the home page with a notice and no attribution', () => {
    expect(planVisit({ scene: 'nope' }, { sceneDoc: null, sharerIsOtherMember: false, now })).toMatchObject({
      page: HOME_PAGE,
      notice: NOTICE_UNKNOWN_SCENE,
      touch: null,
    });
    expect(planVisit({ scene: '%ZZ' }, { sceneDoc: null, sharerIsOtherMember: false, now }).notice).toBe(NOTICE_UNKNOWN_SCENE);
    const expired = { ...scene, expiresAt: new Date('2026-11-01T00:00:00Z') };
    expect(planVisit({ scene: 'A1b2' }, { sceneDoc: expired, sharerIsOtherMember: false, now })).toMatchObject({
      page: HOME_PAGE,
      notice: NOTICE_EXPIRED_SCENE,
      touch: null,
    });
  });

  it('credits a share card to the sharer only when the sharer is someone else', () => {
    const request = { sharer: 'm-friend', campaign: 'camp-1', article: 'art-1', to: 'packages/campaign/detail/index' };
    expect(planVisit(request, { sceneDoc: null, sharerIsOtherMember: true, now })).toEqual({
      page: 'packages/campaign/detail/index',
      params: { campaign: 'camp-1', article: 'art-1' },
      notice: null,
      touch: { channel: 'share', sharer: 'm-friend', campaign: 'camp-1', article: 'art-1' },
    });
    expect(planVisit(request, { sceneDoc: null, sharerIsOtherMember: false, now }).touch).toBeNull();
  });

  it('passes a share card’s id on to the shared page, with the sharer as the touch', () => {
    const request = { sharer: 'm-leader', to: 'packages/groupbuy/group/index', id: 'g-1' };
    expect(planVisit(request, { sceneDoc: null, sharerIsOtherMember: true, now })).toEqual({
      page: 'packages/groupbuy/group/index',
      params: { id: 'g-1' },
      notice: null,
      touch: { channel: 'share', sharer: 'm-leader' },
    });
  });

  it('the sharer opening their own card still lands on the shared group, unattributed', () => {
    const request = { sharer: 'm-leader', to: 'packages/groupbuy/group/index', id: 'g-1' };
    expect(planVisit(request, { sceneDoc: null, sharerIsOtherMember: false, now })).toEqual({
      page: 'packages/groupbuy/group/index',
      params: { id: 'g-1' },
      notice: null,
      touch: null,
    });
  });

  it('an id without a target page, or beside an article code, is not passed on', () => {
    expect(planVisit({ sharer: 'm-friend', id: 'g-1' }, { sceneDoc: null, sharerIsOtherMember: true, now })).toMatchObject({
      page: HOME_PAGE,
      params: {},
    });
    expect(planVisit({ scene: 'A1b2', id: 'g-1', to: 'x/y' }, { sceneDoc: scene, sharerIsOtherMember: false, now }).params).toEqual({
      campaign: 'camp-1',
    });
  });

  it('never attributes a scene document to a different key', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), (key) => {
        fc.pre(key !== scene._id);
        expect(planVisit({ scene: key }, { sceneDoc: scene, sharerIsOtherMember: false, now }).touch).toBeNull();
      }),
    );
  });
});
