import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';

const CAMPAIGN_PAGE = 'packages/campaign/detail/index';

describe('member.visit: landing and attribution', () => {
  const cloud = useCloud();
  beforeEach(async () => {
    const db = cloud.db();
    const now = new Date();
    // What share cards name must exist to be credited.
    await db.collection('campaigns').add({ data: { _id: 'camp-spring', name: '春季上新', createdAt: now } });
    await db.collection('articles').add({ data: { _id: 'art-spring', title: '春季上新', createdAt: now } });
    await db.collection('scenes').add({
      data: {
        _id: 'spring01',
        article: 'art-spring',
        campaign: 'camp-spring',
        channel: 'article',
        page: CAMPAIGN_PAGE,
        params: { campaign: 'camp-spring' },
        createdAt: now,
      },
    });
    await db.collection('scenes').add({
      data: {
        _id: 'autumn01',
        article: 'art-autumn',
        campaign: 'camp-autumn',
        channel: 'poster',
        page: CAMPAIGN_PAGE,
        params: { campaign: 'camp-autumn' },
        createdAt: now,
      },
    });
    await db.collection('scenes').add({
      data: {
        _id: 'old01',
        article: 'art-old',
        channel: 'article',
        page: CAMPAIGN_PAGE,
        params: {},
        createdAt: now,
        expiresAt: new Date(Date.now() - 86_400_000),
      },
    });
  });

  const visit = (params: Record<string, string>, as = 'alice') => cloud.invoke('member', { action: 'visit', ...params }, as);
  const memberOf = async (as: string) => (await cloud.invoke('member', { action: 'login' }, as)).data;

  it('routes an article code to its page and makes that article the first touch', async () => {
    const result = await visit({ scene: 'spring01' });
    expect(result).toEqual({
      ok: true,
      data: { page: CAMPAIGN_PAGE, params: { campaign: 'camp-spring' }, notice: null, attributed: true },
    });
    const member = await memberOf('alice');
    expect(member.firstTouch).toMatchObject({ scene: 'spring01', article: 'art-spring', campaign: 'camp-spring', channel: 'article' });
    const events = (await cloud.db().collection('events').where({ memberId: member._id, kind: 'visit' }).get()).data;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ channel: 'article', attributed: true, touch: { scene: 'spring01', article: 'art-spring' } });
  });

  it('decodes a URL-encoded scene as the landing page receives it', async () => {
    const result = await visit({ scene: encodeURIComponent('spring01') });
    expect(result.data.attributed).toBe(true);
  });

  it('keeps the first touch and moves the last touch on a later arrival', async () => {
    await visit({ scene: 'spring01' });
    await visit({ scene: 'autumn01' });
    const raw = (await cloud.db().collection('members').get()).data[0];
    expect(raw.firstTouch.article).toBe('art-spring');
    expect(raw.lastTouch.article).toBe('art-autumn');
    expect(raw.lastTouch.channel).toBe('poster');
  });

  it('lands unknown and expired codes on the home page with a gentle message, attributing nothing', async () => {
    for (const scene of ['nosuch', 'old01', '%E4%B8%AD%E6%96%87']) {
      const result = await visit({ scene });
      expect(result.ok).toBe(true);
      expect(result.data.page).toBe('pages/index/index');
      expect(result.data.notice).toMatch(/首页/);
      expect(result.data.attributed).toBe(false);
    }
    const member = await memberOf('alice');
    expect(member.firstTouch).toBeNull();
  });

  it('credits a share card to the sharer and article, but not a self-share', async () => {
    const alice = await memberOf('alice');
    const shared = await visit({ sharer: alice._id, campaign: 'camp-spring', article: 'art-spring', to: CAMPAIGN_PAGE }, 'bob');
    expect(shared.data).toEqual({
      page: CAMPAIGN_PAGE,
      params: { campaign: 'camp-spring', article: 'art-spring' },
      notice: null,
      attributed: true,
    });
    const bob = await memberOf('bob');
    expect(bob.firstTouch).toMatchObject({ channel: 'share', sharer: alice._id, article: 'art-spring' });

    const self = await visit({ sharer: alice._id, campaign: 'camp-spring', to: CAMPAIGN_PAGE }, 'alice');
    expect(self.data.attributed).toBe(false);
  });

  it('refuses a malformed target page', async () => {
    expect(await visit({ to: '../../etc' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  });
});
