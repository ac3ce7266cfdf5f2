import { describe, expect, it } from 'vitest';
import { useTestCloud } from './support';

describe('the fake 公众号 follower list (user/get, user/info/batchget, /_emu/mp/followers)', () => {
  const cloud = useTestCloud();
  const api = () => `${cloud.emulator.url}/mp/cgi-bin`;
  const get = async (path: string) => (await fetch(`${api()}/${path}`)).json() as Promise<any>;
  const post = async (path: string, body: unknown) =>
    (await fetch(`${api()}/${path}`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<any>;
  const token = async () => {
    const { appid, secret } = cloud.emulator.ctx.options.mp;
    return (await get(`token?grant_type=client_credential&appid=${appid}&secret=${secret}`)).access_token as string;
  };
  const list = async (t: string, next?: string) => get(`user/get?access_token=${t}${next === undefined ? '' : `&next_openid=${next}`}`);
  const batchget = async (t: string, openids: string[]) =>
    post(`user/info/batchget?access_token=${t}`, { user_list: openids.map((openid) => ({ openid, lang: 'zh_CN' })) });

  it('pages 10,000 openids at a time, personas first, each page continuing after the last openid, then count 0', async () => {
    const added = await cloud.client.mp.addFollowers({ count: 25_000, unionids: true });
    expect(added).toMatchObject({
      total: 25_001,
      personas: ['o-mp-alice'],
      synthetic: 25_000,
      added: { count: 25_000, first: 'o-mp-f000001', last: 'o-mp-f025000', withUnionid: 12_500 },
    });
    const t = await token();
    const first = await list(t);
    expect(first).toMatchObject({ total: 25_001, count: 10_000, next_openid: 'o-mp-f009999' });
    expect(first.data.openid.slice(0, 3)).toEqual(['o-mp-alice', 'o-mp-f000001', 'o-mp-f000002']);
    const second = await list(t, first.next_openid);
    expect(second).toMatchObject({ total: 25_001, count: 10_000, next_openid: 'o-mp-f019999' });
    expect(second.data.openid[0]).toBe('o-mp-f010000');
    const third = await list(t, second.next_openid);
    expect(third).toMatchObject({ total: 25_001, count: 5_001, next_openid: 'o-mp-f025000' });
    expect(await list(t, third.next_openid)).toEqual({ total: 25_001, count: 0, next_openid: '' });
    const all = [...first.data.openid, ...second.data.openid, ...third.data.openid];
    expect(new Set(all).size).toBe(25_001);
    // The same next_openid gives the same page: the order is stable.
    expect((await list(t, first.next_openid)).data.openid).toEqual(second.data.openid);
    // A persona who stopped following still marks a place; an openid the 公众号 never had does not.
    expect((await list(t, 'o-mp-bob')).data.openid[0]).toBe('o-mp-f000001');
    expect((await list(t, 'o-mp-nobody')).errcode).toBe(40003);
    expect((await list(t, 'o-mp-f025001')).errcode).toBe(40003);
    // The outbox keeps the calls without the lists.
    const calls = (await cloud.client.outbox.list('mp')).entries.filter((e) => e.api === 'user/get');
    expect(calls[1]).toMatchObject({ request: { next_openid: 'o-mp-f009999' }, response: { total: 25_001, count: 10_000 } });
    expect(calls[1].response).not.toHaveProperty('data');
  });

  it('lists nobody as count 0 at once, and follows persona follow state', async () => {
    const t = await token();
    await cloud.client.personas.upsert({ name: 'alice', follows: false });
    expect(await list(t)).toEqual({ total: 0, count: 0, next_openid: '' });
    await cloud.client.personas.upsert([
      { name: 'bob', follows: true },
      { name: 'dan', follows: true },
    ]);
    const page = await list(t);
    expect(page).toMatchObject({ total: 2, count: 2, data: { openid: ['o-mp-bob', 'o-mp-dan'] }, next_openid: 'o-mp-dan' });
    expect((await cloud.client.mp.followers()).personas).toEqual(['o-mp-bob', 'o-mp-dan']);
  });

  it('batchget answers up to 100 followers with unionids where they have one, subscribe 0 for a non-follower', async () => {
    await cloud.client.mp.addFollowers({ count: 4, unionids: true });
    await cloud.client.mp.addFollowers({ count: 2 });
    const t = await token();
    const answer = await batchget(t, ['o-mp-alice', 'o-mp-bob', 'o-mp-f000001', 'o-mp-f000002', 'o-mp-f000003', 'o-mp-f000005']);
    expect(answer.errcode).toBeUndefined();
    const [alice, bob, f1, f2, f3, f5] = answer.user_info_list;
    expect(alice).toMatchObject({ subscribe: 1, openid: 'o-mp-alice', unionid: 'u-alice', language: 'zh_CN' });
    expect(typeof alice.subscribe_time).toBe('number');
    expect(bob).toEqual({ subscribe: 0, openid: 'o-mp-bob' });
    expect(f1).toMatchObject({ subscribe: 1, openid: 'o-mp-f000001', unionid: 'u-f000001' });
    expect(f2).not.toHaveProperty('unionid');
    expect(f3.unionid).toBe('u-f000003');
    expect(f5).not.toHaveProperty('unionid');
    // user/info agrees with batchget about synthetic followers.
    expect(await get(`user/info?access_token=${t}&openid=o-mp-f000003`)).toMatchObject({ subscribe: 1, unionid: 'u-f000003' });
  });

  it('batchget refuses an empty list, more than 100 and an unknown openid with WeChat codes', async () => {
    await cloud.client.mp.addFollowers({ count: 101 });
    const t = await token();
    const openids = Array.from({ length: 101 }, (_, i) => `o-mp-f${String(i + 1).padStart(6, '0')}`);
    expect(await batchget(t, openids)).toMatchObject({ errcode: 40032, errmsg: expect.stringMatching(/^invalid openid list size rid: /) });
    expect((await batchget(t, [])).errcode).toBe(40032);
    expect((await post(`user/info/batchget?access_token=${t}`, {})).errcode).toBe(40032);
    expect((await batchget(t, ['o-mp-f000001', 'o-mp-nobody'])).errcode).toBe(40003);
    expect((await batchget(t, openids.slice(0, 100))).user_info_list).toHaveLength(100);
    expect((await batchget('bad-token', ['o-mp-alice'])).errcode).toBe(40001);
    const calls = (await cloud.client.outbox.list('mp')).entries.filter((e) => e.api === 'user/info/batchget');
    expect(calls.map((c) => (c.response as { errcode?: number }).errcode)).toEqual([40032, 40032, 40032, 40003, undefined, 40001]);
    expect((calls[4].request as any).user_list).toHaveLength(100);
    expect((calls[4].response as any).user_info_list[0]).toEqual({ openid: 'o-mp-f000001', subscribe: 1 });
  });

  it('refuses a bad count and forgets synthetic followers on reset', async () => {
    for (const body of [{}, { count: 0 }, { count: 1.5 }, { count: 100_001 }, { count: 1, unionids: 'yes' }]) {
      expect((await cloud.client.control('POST', '/_emu/mp/followers', body)).status).toBe(400);
    }
    await cloud.client.mp.addFollowers({ count: 3 });
    expect((await cloud.client.mp.addFollowers({ count: 2 })).added).toMatchObject({ first: 'o-mp-f000004', last: 'o-mp-f000005' });
    await cloud.client.reset();
    expect(await cloud.client.mp.followers()).toEqual({ total: 1, personas: ['o-mp-alice'], synthetic: 0 });
  });
});
