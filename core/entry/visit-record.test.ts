import { describe, expect, it } from 'vitest';
import { planVisit, visitRecord } from './plan-visit';

const now = new Date('2030-05-01T08:00:00Z');
const scene = { _id: 'A1b2', article: 'art-1', channel: 'article', page: 'packages/campaign/detail/index', createdAt: now };

describe('visitRecord', () => {
  it('records an article code as a touch at the visit time', () => {
    const request = { scene: 'A1b2' };
    const record = visitRecord(planVisit(request, { sceneDoc: scene, sharerIsOtherMember: false, now }), request, null, now);
    expect(record).toEqual({ kind: 'touch', touch: { scene: 'A1b2', article: 'art-1', channel: 'article', at: now } });
  });

  it('credits a share to the member the sharer is now, not the id on the card', () => {
    const request = { sharer: 'm-old', campaign: 'c-1' };
    const plan = planVisit(request, { sceneDoc: null, sharerIsOtherMember: true, now });
    expect(visitRecord(plan, request, 'm-merged-into', now)).toEqual({
      kind: 'touch',
      touch: { channel: 'share', sharer: 'm-merged-into', campaign: 'c-1', at: now },
    });
  });

  it('records a bad code as invalid_scene with the raw value, and anything else as direct', () => {
    const bad = { scene: 'no-such' };
    expect(visitRecord(planVisit(bad, { sceneDoc: null, sharerIsOtherMember: false, now }), bad, null, now)).toEqual({
      kind: 'event',
      touch: { channel: 'invalid_scene', at: now },
      extra: { rawScene: 'no-such' },
    });
    const plain = {};
    expect(visitRecord(planVisit(plain, { sceneDoc: null, sharerIsOtherMember: false, now }), plain, null, now)).toEqual({
      kind: 'event',
      touch: { channel: 'direct', at: now },
      extra: {},
    });
  });
});
