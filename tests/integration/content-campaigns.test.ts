import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';

/** `content.campaigns`: the storefront's running campaigns, by the local cloud's clock. */
describe('content.campaigns', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
    const add = (data: Record<string, unknown>) => cloud.db().collection('campaigns').add({ data });
    await add({ _id: 'cmp-later', name: '年货节', description: '年货', startsAt: new Date('2026-12-20T00:00:00Z'), endsAt: null });
    await add({ _id: 'cmp-past', name: '双十一', description: '', startsAt: null, endsAt: new Date('2026-11-12T00:00:00Z') });
    await add({ _id: 'cmp-long', name: '会员日', description: '每月一次', startsAt: null, endsAt: null });
    await add({ _id: 'cmp-soon', name: '冬季上新', description: '新品', startsAt: null, endsAt: new Date('2026-12-10T15:59:59Z') });
    await add({
      _id: 'cmp-spring',
      name: '春季会员节',
      description: '',
      startsAt: new Date('2026-12-01T00:00:00Z'),
      endsAt: new Date('2026-12-31T15:59:59Z'),
    });
  });

  it('lists the running ones, ending soonest first, open-ended last', async () => {
    const answer = await cloud.invoke('content', { action: 'campaigns' }, 'alice');
    expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
    expect(answer.data.campaigns.map((c: { _id: string }) => c._id)).toEqual(['cmp-soon', 'cmp-spring', 'cmp-long']);
    expect(answer.data.campaigns[0]).toEqual({
      _id: 'cmp-soon',
      name: '冬季上新',
      description: '新品',
      startsAt: null,
      endsAt: '2026-12-10T15:59:59.000Z',
      active: true,
    });
  });

  it('follows the clock: a campaign starts and another ends', async () => {
    await cloud.client.clock.set('2026-12-21T00:00:00.000Z');
    const answer = await cloud.invoke('content', { action: 'campaigns' }, 'alice');
    expect(answer.data.campaigns.map((c: { _id: string }) => c._id)).toEqual(['cmp-spring', 'cmp-later', 'cmp-long']);
  });
});
