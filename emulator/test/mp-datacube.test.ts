import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MpArticleInput } from '../src/client';
import { clientOf, startTestCloud, useTestCloud } from './support';

const functionsDir = path.join(import.meta.dirname, 'fixtures/mp-functions');
const QUOTA = { errCode: 45009, errMsg: 'reach max api daily quota limit' };

// Asia/Shanghai is UTC+8: 2026-03-09T16:30Z is already 00:30 on 2026-03-10 there.
const DAY_ONE = '2026-03-09T03:00:00.000Z'; // 11:00 on 03-09 in Shanghai
const DAY_TWO = '2026-03-09T16:30:00.000Z'; // 00:30 on 03-10 in Shanghai
const LATER = '2026-03-12T02:00:00.000Z'; // 10:00 on 03-12 in Shanghai: yesterday is 03-11

const ARTICLES: MpArticleInput[] = [
  {
    msgid: '2247490098_1',
    title: '周末团购：草莓',
    publishedAt: '2026-03-09',
    days: {
      '2026-03-09': {
        readUser: 120,
        readUserSource: { 公众号消息: 80, 聊天会话: 40 },
        shareUser: 10,
        likeUser: 5,
        readFinishRate: 0.6,
        readJumpPosition: [{ position: 1, rate: 0.5 }],
      },
      '2026-03-10': { readUser: 30, readUserSource: { 朋友圈: 30 }, shareUser: 2, readFinishRate: 0.5, readSubscribeUser: 1 },
    },
  },
  { msgid: '2247490098_2', title: '团长招募', publishedAt: '2026-03-09', publishType: 1, days: { '2026-03-10': { shareUser: 3 } } },
  {
    msgid: '2247490123_1',
    title: '下周预告',
    publishedAt: '2026-03-11',
    days: { '2026-03-11': { readUser: 7 }, '2026-03-12': { readUser: 9 } },
  },
];

describe('the fake 公众号 statistics (datacube)', () => {
  const cloud = useTestCloud({ functionsDir });
  const datacube = () => `${cloud.emulator.url}/mp/datacube`;
  const token = async () => {
    const { appid, secret } = cloud.emulator.ctx.options.mp;
    const url = `${cloud.emulator.url}/mp/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${secret}`;
    return (await (await fetch(url)).json()).access_token as string;
  };
  const call = async (api: string, body: unknown, t?: string) =>
    (
      await fetch(`${datacube()}/${api}?access_token=${t ?? (await token())}`, {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
      })
    ).json() as Promise<any>;
  const range = (begin_date: string, end_date: string) => ({ begin_date, end_date });
  const outbox = async (api: string) => (await cloud.client.outbox.list('mp')).entries.filter((e) => e.api === api) as any[];

  it('counts the follows and unfollows of each Shanghai day by source, and the followers at the end of each day', async () => {
    await cloud.client.clock.set(DAY_ONE);
    await cloud.client.mp.push({ persona: 'bob', type: 'subscribe', eventKey: 'promo' }); // QR code: 30
    await cloud.client.mp.push({ persona: 'carol', type: 'subscribe' }); // search: 1
    await cloud.client.clock.set(DAY_TWO);
    await cloud.client.mp.push({ persona: 'bob', type: 'unsubscribe' }); // under the QR follow it ends
    await cloud.client.mp.push({ persona: 'alice', type: 'unsubscribe' }); // followed from the start: as user/info says, search
    await cloud.client.mp.addFollowers({ count: 3 }); // synthetic followers follow by search
    await cloud.client.clock.set(LATER);

    const summary = await call('getusersummary', range('2026-03-08', '2026-03-11'));
    expect(summary).toEqual({
      list: [
        { ref_date: '2026-03-08', user_source: 0, new_user: 0, cancel_user: 0 },
        { ref_date: '2026-03-09', user_source: 0, new_user: 0, cancel_user: 0 },
        { ref_date: '2026-03-09', user_source: 1, new_user: 1, cancel_user: 0 },
        { ref_date: '2026-03-09', user_source: 30, new_user: 1, cancel_user: 0 },
        { ref_date: '2026-03-10', user_source: 0, new_user: 0, cancel_user: 0 },
        { ref_date: '2026-03-10', user_source: 1, new_user: 3, cancel_user: 1 },
        { ref_date: '2026-03-10', user_source: 30, new_user: 0, cancel_user: 1 },
        { ref_date: '2026-03-11', user_source: 0, new_user: 0, cancel_user: 0 },
      ],
    });

    const cumulate = await call('getusercumulate', range('2026-03-08', '2026-03-11'));
    expect(cumulate).toEqual({
      list: [
        { ref_date: '2026-03-08', cumulate_user: 1 }, // alice
        { ref_date: '2026-03-09', cumulate_user: 3 }, // alice, bob, carol
        { ref_date: '2026-03-10', cumulate_user: 4 }, // carol and three synthetic followers
        { ref_date: '2026-03-11', cumulate_user: 4 },
      ],
    });
    // The two agree: each day's change is that day's new followers less those who left.
    const net = (date: string) =>
      summary.list.filter((r: any) => r.ref_date === date).reduce((sum: number, r: any) => sum + r.new_user - r.cancel_user, 0);
    for (let i = 1; i < cumulate.list.length; i += 1) {
      expect(cumulate.list[i].cumulate_user - cumulate.list[i - 1].cumulate_user).toBe(net(cumulate.list[i].ref_date));
    }
    // And the last day agrees with the follower list.
    expect(cumulate.list.at(-1).cumulate_user).toBe((await cloud.client.mp.followers()).total);

    expect(await outbox('datacube/getusersummary')).toMatchObject([
      { request: range('2026-03-08', '2026-03-11'), response: { list: summary.list } },
    ]);
  });

  it('takes at most 7 days ending yesterday, in YYYY-MM-DD, with WeChat codes', async () => {
    await cloud.client.clock.set(LATER);
    const t = await token();
    for (const api of ['getusersummary', 'getusercumulate']) {
      expect((await call(api, range('2026-03-05', '2026-03-11'), t)).list).toHaveLength(7);
      expect(await call(api, range('2026-03-04', '2026-03-11'), t)).toMatchObject({
        errcode: 61501,
        errmsg: expect.stringMatching(/^date range error rid: /),
      });
      // Today is not over: the latest day there is data for is yesterday.
      expect((await call(api, range('2026-03-12', '2026-03-12'), t)).errcode).toBe(61501);
      expect((await call(api, range('2026-03-11', '2026-03-13'), t)).errcode).toBe(61501);
      expect((await call(api, range('2026-03-11', '2026-03-10'), t)).errcode).toBe(61501);
      for (const bad of [range('2026-3-10', '2026-03-11'), range('2026-02-29', '2026-03-01'), range('20260310', '20260311')]) {
        expect(await call(api, bad, t)).toMatchObject({ errcode: 61500, errmsg: expect.stringMatching(/^date format error rid: /) });
      }
      expect((await call(api, { begin_date: '2026-03-10' }, t)).errcode).toBe(61500);
      expect((await call(api, { begin_date: 20260310, end_date: 20260311 }, t)).errcode).toBe(61500);
      expect((await call(api, 'not json', t)).errcode).toBe(47001);
      expect((await call(api, range('2026-03-10', '2026-03-11'), 'bad-token')).errcode).toBe(40001);
    }
    // The day before the clock's Shanghai day, not UTC's: at 23:30 UTC on 03-11 it is already 03-12 in Shanghai.
    await cloud.client.clock.set('2026-03-11T23:30:00.000Z');
    expect((await call('getusersummary', range('2026-03-11', '2026-03-11'))).list).toHaveLength(1);
    await cloud.client.clock.set('2026-03-11T15:30:00.000Z'); // 23:30 on 03-11 in Shanghai
    expect((await call('getusersummary', range('2026-03-11', '2026-03-11'))).errcode).toBe(61501);
    // Served beside cgi-bin, as production serves them.
    expect((await fetch(`${cloud.emulator.url}/mp/cgi-bin/datacube/getusersummary?access_token=${t}`, { method: 'POST' })).status).toBe(
      404,
    );
  });

  it('answers an injected 45009 once, records it, then serves the next call', async () => {
    await cloud.client.clock.set(LATER);
    const t = await token();
    await cloud.client.faults.add('mp.datacube/getusersummary', QUOTA);
    await cloud.client.faults.add('mp.datacube/getarticleread', QUOTA);
    expect(await call('getusersummary', range('2026-03-10', '2026-03-11'), t)).toEqual({ errcode: 45009, errmsg: QUOTA.errMsg });
    // Other APIs are not affected by a fault on one.
    expect((await call('getusercumulate', range('2026-03-10', '2026-03-11'), t)).list).toHaveLength(2);
    expect((await call('getusersummary', range('2026-03-10', '2026-03-11'), t)).list).toHaveLength(2);
    expect(await call('getarticleread', range('2026-03-11', '2026-03-11'), t)).toEqual({ errcode: 45009, errmsg: QUOTA.errMsg });
    expect(await call('getarticleread', range('2026-03-11', '2026-03-11'), t)).toEqual({ list: [], is_delay: false });
    expect((await cloud.client.faults.list()).faults).toEqual([]);
    const calls = await outbox('datacube/getusersummary');
    expect(calls.map((e) => e.response.errcode)).toEqual([45009, undefined]);
    expect(calls[0]).toMatchObject({ request: range('2026-03-10', '2026-03-11'), response: { fault: true } });
  });

  it('answers getarticleread and getarticletotaldetail from the articles the control plane set', async () => {
    await cloud.client.clock.set(LATER);
    const set = await cloud.client.mp.setArticles(ARTICLES);
    expect(set.articles.map((a) => [a.msgid, a.publishType])).toEqual([
      ['2247490098_1', 0],
      ['2247490098_2', 1],
      ['2247490123_1', 0],
    ]);
    expect(set.articles[0].contentUrl).toMatch(/^https:\/\/mp\.weixin\.qq\.com\/s\?__biz=.+&mid=2247490098&idx=1&sn=[0-9a-f]{32}$/);
    expect(set.articles[0].days['2026-03-10']).toEqual({
      readUser: 30,
      readUserSource: { 朋友圈: 30 },
      shareUser: 2,
      zaikanUser: 0,
      likeUser: 0,
      commentCount: 0,
      collectionUser: 0,
      praiseMoney: 0,
      readSubscribeUser: 1,
      readFinishRate: 0.5,
    });
    const t = await token();

    // Every article read that day, and only those: 团长招募 was shared on 03-10 but not read.
    expect(await call('getarticleread', range('2026-03-09', '2026-03-09'), t)).toEqual({
      list: [
        {
          ref_date: '2026-03-09',
          msgid: '2247490098_1',
          detail: {
            read_user: 120,
            read_user_source: [
              { user_count: 120, scene_desc: '全部' },
              { user_count: 80, scene_desc: '公众号消息' },
              { user_count: 40, scene_desc: '聊天会话' },
            ],
          },
        },
      ],
      is_delay: false,
    });
    expect((await call('getarticleread', range('2026-03-10', '2026-03-10'), t)).list).toEqual([
      {
        ref_date: '2026-03-10',
        msgid: '2247490098_1',
        detail: {
          read_user: 30,
          read_user_source: [
            { user_count: 30, scene_desc: '全部' },
            { user_count: 30, scene_desc: '朋友圈' },
          ],
        },
      },
    ]);

    // The articles published that day, each with what it gathered from its publish day to each day up to yesterday.
    const detail = await call('getarticletotaldetail', range('2026-03-09', '2026-03-09'), t);
    expect(detail.is_delay).toBe(false);
    expect(detail.list.map((a: any) => [a.ref_date, a.msgid, a.publish_type, a.title])).toEqual([
      ['2026-03-09', '2247490098_1', 0, '周末团购：草莓'],
      ['2026-03-09', '2247490098_2', 1, '团长招募'],
    ]);
    expect(detail.list[0].content_url).toBe(set.articles[0].contentUrl);
    const [first, second, third] = detail.list[0].detail_list;
    expect(detail.list[0].detail_list.map((d: any) => d.stat_date)).toEqual(['2026-03-09', '2026-03-10', '2026-03-11']);
    expect(first).toMatchObject({ read_user: 120, share_user: 10, like_user: 5, read_finish_rate: 0.6 });
    expect(second).toEqual({
      stat_date: '2026-03-10',
      read_user: 150,
      read_user_source: [
        { user_count: 150, scene_desc: '全部' },
        { user_count: 80, scene_desc: '公众号消息' },
        { user_count: 40, scene_desc: '聊天会话' },
        { user_count: 30, scene_desc: '朋友圈' },
      ],
      share_user: 12,
      zaikan_user: 0,
      like_user: 5,
      comment_count: 0,
      collection_user: 0,
      praise_money: 0,
      read_subscribe_user: 1,
      read_delivery_rate: 0,
      read_finish_rate: 0.5,
      read_avg_activetime: 0,
      read_jump_position: [{ position: 1, rate: 0.5 }],
    });
    expect({ ...third, stat_date: second.stat_date }).toEqual(second);
    expect(detail.list[1].detail_list.map((d: any) => d.share_user)).toEqual([0, 3, 3]);
    // Today's reads are not in yet.
    expect((await call('getarticletotaldetail', range('2026-03-11', '2026-03-11'), t)).list[0].detail_list).toEqual([
      expect.objectContaining({ stat_date: '2026-03-11', read_user: 7 }),
    ]);

    // One day per call, ending yesterday at the latest.
    for (const api of ['getarticleread', 'getarticletotaldetail']) {
      expect((await call(api, range('2026-03-09', '2026-03-10'), t)).errcode).toBe(61501);
      expect((await call(api, range('2026-03-12', '2026-03-12'), t)).errcode).toBe(61501);
      expect((await call(api, range('2026-03-32', '2026-03-32'), t)).errcode).toBe(61500);
      expect(await call(api, range('2026-03-08', '2026-03-08'), t)).toEqual({ list: [], is_delay: false });
    }
    expect((await cloud.client.mp.articles()).articles).toHaveLength(3);
  });

  it('follows an article 30 days from its publish day, and replaces an article set again', async () => {
    await cloud.client.clock.set(LATER);
    const days = Object.fromEntries(
      Array.from({ length: 35 }, (_, i) => [new Date(Date.UTC(2026, 1, 1 + i)).toISOString().slice(0, 10), { readUser: 1 }]),
    );
    await cloud.client.mp.setArticles([{ msgid: '100_1', title: '二月', publishedAt: '2026-02-01', days }]);
    const [article] = (await call('getarticletotaldetail', range('2026-02-01', '2026-02-01'))).list;
    expect(article.detail_list).toHaveLength(30);
    expect(article.detail_list.at(-1)).toMatchObject({ stat_date: '2026-03-02', read_user: 30 });
    // Reads after the window still count day by day.
    expect((await call('getarticleread', range('2026-03-05', '2026-03-05'))).list).toHaveLength(1);

    await cloud.client.mp.setArticles([{ msgid: '100_1', title: '二月（改）', publishedAt: '2026-02-01' }]);
    expect((await cloud.client.mp.articles()).articles).toEqual([
      expect.objectContaining({ msgid: '100_1', title: '二月（改）', days: {} }),
    ]);
    expect((await call('getarticleread', range('2026-03-05', '2026-03-05'))).list).toEqual([]);
  });

  it('refuses bad articles with 400 and stores none of the batch', async () => {
    const good = { msgid: '200_1', title: 'ok', publishedAt: '2026-03-01' };
    const bad: unknown[] = [
      { ...good, msgid: '200' },
      { ...good, title: '' },
      { ...good, publishedAt: '2026-02-30' },
      { ...good, publishType: 2 },
      { ...good, contentUrl: 'ftp://x' },
      { ...good, extra: 1 },
      { ...good, days: { '2026-02-28': { readUser: 1 } } },
      { ...good, days: { '2026-03-01': { readUser: -1 } } },
      { ...good, days: { '2026-03-01': { readUser: 1.5 } } },
      { ...good, days: { '2026-03-01': { readCount: 1 } } },
      { ...good, days: { '2026-03-01': { readUserSource: { 全部: 3 } } } },
      { ...good, days: { '2026-03-01': { readFinishRate: 2 } } },
      { ...good, days: { '2026-03-01': { readJumpPosition: [{ position: 6, rate: 0.1 }] } } },
    ];
    for (const article of bad) {
      const answer = await cloud.client.control('POST', '/_emu/mp/articles', { articles: [good, article] });
      expect(answer.status, JSON.stringify(article)).toBe(400);
    }
    expect((await cloud.client.control('POST', '/_emu/mp/articles', { articles: [good, good] })).status).toBe(400);
    expect((await cloud.client.control('POST', '/_emu/mp/articles', { articles: [] })).status).toBe(400);
    expect((await cloud.client.control('POST', '/_emu/mp/articles', {})).status).toBe(400);
    expect((await cloud.client.mp.articles()).articles).toEqual([]);
  });

  it('forgets follow events and articles on reset', async () => {
    await cloud.client.clock.set(DAY_ONE);
    await cloud.client.mp.push({ persona: 'bob', type: 'subscribe' });
    await cloud.client.mp.setArticles(ARTICLES);
    await cloud.client.reset();
    await cloud.client.clock.set(LATER);
    expect((await call('getusersummary', range('2026-03-09', '2026-03-09'))).list).toEqual([
      { ref_date: '2026-03-09', user_source: 0, new_user: 0, cancel_user: 0 },
    ]);
    expect((await call('getusercumulate', range('2026-03-09', '2026-03-09'))).list).toEqual([{ ref_date: '2026-03-09', cumulate_user: 1 }]);
    expect((await cloud.client.mp.articles()).articles).toEqual([]);
    expect((await call('getarticleread', range('2026-03-09', '2026-03-09'))).list).toEqual([]);
  });
});

describe('the statistics of a durable local cloud', () => {
  it('keep follow events and articles across a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'duet-datacube-'));
    try {
      const first = await startTestCloud({ ephemeral: false, dataDir, functionsDir });
      try {
        const client = clientOf(first);
        await client.clock.set(DAY_ONE);
        await client.mp.push({ persona: 'bob', type: 'subscribe', eventKey: '7' });
        await client.mp.setArticles([ARTICLES[0]]);
      } finally {
        await first.stop();
      }
      const second = await startTestCloud({ ephemeral: false, dataDir, functionsDir });
      try {
        const client = clientOf(second);
        await client.clock.set(LATER);
        const { appid, secret } = second.ctx.options.mp;
        const tokenUrl = `${second.url}/mp/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${secret}`;
        const t = (await (await fetch(tokenUrl)).json()).access_token;
        const summary = await (
          await fetch(`${second.url}/mp/datacube/getusersummary?access_token=${t}`, {
            method: 'POST',
            body: JSON.stringify({ begin_date: '2026-03-09', end_date: '2026-03-09' }),
          })
        ).json();
        expect(summary.list).toContainEqual({ ref_date: '2026-03-09', user_source: 30, new_user: 1, cancel_user: 0 });
        expect((await client.mp.articles()).articles.map((a) => a.msgid)).toEqual(['2247490098_1']);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
