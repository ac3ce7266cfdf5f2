import { zeroMetrics } from '../../core/funnel/tally';
import { describe, expect, it } from 'vitest';
import type { MpArticleInput } from '../../emulator/src/client';
import { useCloud } from '../support/cloud';

// Asia/Shanghai is UTC+8. 10:00 on 12-05 there: WeChat has 12-04 (yesterday, after 08:00).
const NOW = '2026-12-05T02:00:00.000Z';
/** The first run pulls the 30 days up to 12-04. */
const FIRST_30 = Array.from({ length: 30 }, (_, i) =>
  new Date(Date.parse('2026-11-05T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10),
);

const ARTICLES: MpArticleInput[] = [
  {
    msgid: '2247490001_1',
    title: '冬季上新',
    publishedAt: '2026-11-20',
    days: {
      '2026-11-20': { readUser: 500, readUserSource: { 公众号消息: 300, 朋友圈: 100 }, shareUser: 20 },
      '2026-11-21': { readUser: 200, shareUser: 4 },
      '2026-12-04': { readUser: 7 },
    },
  },
  {
    msgid: '2247490001_2',
    title: '冬季上新·搭配',
    publishedAt: '2026-11-20',
    days: { '2026-11-20': { readUser: 80 }, '2026-11-22': { readUser: 15 } },
  },
  {
    msgid: '2247490077_1',
    title: '双十二预告',
    publishedAt: '2026-12-03',
    // Today's numbers are not answered until WeChat has the day.
    days: { '2026-12-03': { readUser: 300 }, '2026-12-04': { readUser: 120 }, '2026-12-05': { readUser: 99 } },
  },
];

type Answer = { ok: true; data: any } | { ok: false; code: string; detail?: string; message: string };

describe('pullDatacube: the 公众号 statistics into mp_datacube', () => {
  const cloud = useCloud();
  const pull = (event: Record<string, unknown> = {}, as?: string): Promise<Answer> =>
    cloud.invoke('funnelAdmin', { action: 'pullDatacube', ...event }, as);
  const ok = async (event: Record<string, unknown> = {}) => {
    const answer = await pull(event);
    if (!answer.ok) throw new Error(`pullDatacube failed: ${answer.code} ${answer.detail ?? answer.message}`);
    return answer.data;
  };
  const calls = async (api?: string) =>
    (await cloud.client.outbox.list('mp')).entries.filter((e) =>
      api ? e.api === `datacube/${api}` : e.api.startsWith('datacube/'),
    ) as any[];
  const ranges = async (api: string) => (await calls(api)).map((c) => `${c.request.begin_date}..${c.request.end_date}`);
  const doc = async (id: string) => (await cloud.db().collection('mp_datacube').where({ _id: id }).get()).data[0];
  const count = async (collection: string, where: Record<string, unknown> = {}) =>
    (await cloud.db().collection(collection).where(where).count()).total as number;
  const cursor = async () => (await cloud.db().collection('job_cursors').where({ _id: 'pull-datacube' }).get()).data[0];
  /** Database requests the local cloud served (every `database.*` action). */
  const dbRequests = async () =>
    Object.entries((await cloud.client.stats()).counts)
      .filter(([action]) => action.startsWith('database.'))
      .reduce((sum, [, n]) => sum + n, 0);
  const writes = async () =>
    Object.entries((await cloud.client.stats()).counts)
      .filter(([action]) => /^database\.(insert|modify|remove|update|set)/.test(action))
      .reduce((sum, [, n]) => sum + n, 0);

  /** Follows and unfollows on three days, and three synthetic followers on a fourth; the articles. */
  const history = async () => {
    await cloud.client.clock.set('2026-11-10T04:00:00Z');
    await cloud.client.mp.push({ persona: 'bob', type: 'subscribe', eventKey: 'winter-poster' }); // QR code: 30
    await cloud.client.clock.set('2026-11-12T04:00:00Z');
    await cloud.client.mp.push({ persona: 'carol', type: 'subscribe' }); // search: 1
    await cloud.client.mp.push({ persona: 'bob', type: 'unsubscribe' }); // under his QR follow
    await cloud.client.clock.set('2026-11-30T04:00:00Z');
    await cloud.client.mp.addFollowers({ count: 3 });
    await cloud.client.clock.set(NOW);
    await cloud.client.mp.setArticles(ARTICLES);
  };

  it('pulls the last 30 days WeChat has on the first run and stores what WeChat answered; a second run costs one read', async () => {
    await history();
    const first = await ok();
    expect(first).toEqual({
      days: FIRST_30,
      pulled: { getusersummary: 30, getarticleread: 30, getarticletotaldetail: 30 },
      failed: [],
    });
    // User summary in 7-day spans; the article APIs one day a call. Nothing of today (12-05).
    expect(await ranges('getusersummary')).toEqual([
      '2026-11-05..2026-11-11',
      '2026-11-12..2026-11-18',
      '2026-11-19..2026-11-25',
      '2026-11-26..2026-12-02',
      '2026-12-03..2026-12-04',
    ]);
    expect(await ranges('getarticleread')).toEqual(FIRST_30.map((day) => `${day}..${day}`));
    expect(await ranges('getarticletotaldetail')).toEqual(FIRST_30.map((day) => `${day}..${day}`));
    expect(await count('mp_datacube')).toBe(90);

    // Every stored day is what WeChat answered for it.
    for (const call of await calls('getusersummary')) {
      for (const row of call.response.list) {
        const stored = await doc(`getusersummary|${row.ref_date}`);
        expect(stored.sources).toContainEqual({ userSource: row.user_source, newUser: row.new_user, cancelUser: row.cancel_user });
      }
    }
    for (const call of await calls('getarticleread')) {
      const stored = await doc(`getarticleread|${call.request.begin_date}`);
      expect(stored.reads).toEqual(Object.fromEntries(call.response.list.map((row: any) => [row.msgid, row.detail.read_user])));
      expect(stored.isDelay).toBe(false);
    }
    for (const call of await calls('getarticletotaldetail')) {
      const stored = await doc(`getarticletotaldetail|${call.request.begin_date}`);
      expect(stored.articles.map((a: any) => [a.msgid, a.title, a.contentUrl])).toEqual(
        call.response.list.map((row: any) => [row.msgid, row.title, row.content_url]),
      );
      stored.articles.forEach((a: any, i: number) => {
        expect(a.detail.map((d: any) => [d.statDate, d.readUser, d.shareUser])).toEqual(
          call.response.list[i].detail_list.map((d: any) => [d.stat_date, d.read_user, d.share_user]),
        );
      });
    }
    // And what the history above makes them.
    expect(await doc('getusersummary|2026-11-10')).toMatchObject({ day: '2026-11-10', newUser: 1, cancelUser: 0 });
    expect(await doc('getusersummary|2026-11-12')).toMatchObject({
      newUser: 1,
      cancelUser: 1,
      sources: [
        { userSource: 0, newUser: 0, cancelUser: 0 },
        { userSource: 1, newUser: 1, cancelUser: 0 },
        { userSource: 30, newUser: 0, cancelUser: 1 },
      ],
    });
    expect(await doc('getusersummary|2026-11-30')).toMatchObject({ newUser: 3, cancelUser: 0 });
    expect(await doc('getusersummary|2026-11-11')).toMatchObject({
      newUser: 0,
      cancelUser: 0,
      sources: [{ userSource: 0, newUser: 0, cancelUser: 0 }],
    });
    expect(await doc('getarticleread|2026-11-20')).toMatchObject({
      api: 'getarticleread',
      day: '2026-11-20',
      reads: { '2247490001_1': 500, '2247490001_2': 80 },
      sources: {
        '2247490001_1': [
          { scene: '公众号消息', users: 300 },
          { scene: '朋友圈', users: 100 },
        ],
        '2247490001_2': [],
      },
    });
    expect((await doc('getarticleread|2026-11-23')).reads).toEqual({});
    const published = await doc('getarticletotaldetail|2026-12-03');
    expect(published.articles).toHaveLength(1);
    expect(published.articles[0]).toMatchObject({ msgid: '2247490077_1', title: '双十二预告', publishType: 0 });
    expect(published.articles[0].detail.map((d: any) => [d.statDate, d.readUser])).toEqual([
      ['2026-12-03', 300],
      ['2026-12-04', 420],
    ]);
    expect(await doc('getarticleread|2026-12-05')).toBeUndefined();
    expect(await cursor()).toMatchObject({
      through: { getusersummary: '2026-12-04', getarticleread: '2026-12-04', getarticletotaldetail: '2026-12-04' },
      pending: [],
      quotaUntil: {},
    });
    expect((await cursor()).lease).toBeUndefined();

    // Again: nothing is due — one database read, no call to WeChat, nothing written.
    const before = { calls: (await calls()).length, requests: await dbRequests(), writes: await writes() };
    expect(await ok()).toEqual({ days: [], pulled: { getusersummary: 0, getarticleread: 0, getarticletotaldetail: 0 }, failed: [] });
    expect((await calls()).length).toBe(before.calls);
    expect((await dbRequests()) - before.requests).toBe(1);
    expect((await writes()) - before.writes).toBe(0);

    // 07:00 the next day: 12-05 is not ready before 08:00. At 08:30 it is: three calls, today's reads stored.
    await cloud.client.clock.set('2026-12-05T23:00:00Z');
    expect((await ok()).days).toEqual([]);
    expect((await calls()).length).toBe(before.calls);
    await cloud.client.clock.set('2026-12-06T00:30:00Z');
    expect(await ok()).toEqual({
      days: ['2026-12-05'],
      pulled: { getusersummary: 1, getarticleread: 1, getarticletotaldetail: 1 },
      failed: [],
    });
    expect((await calls()).slice(before.calls).map((c) => `${c.api} ${c.request.begin_date}..${c.request.end_date}`)).toEqual([
      'datacube/getusersummary 2026-12-05..2026-12-05',
      'datacube/getarticleread 2026-12-05..2026-12-05',
      'datacube/getarticletotaldetail 2026-12-05..2026-12-05',
    ]);
    expect((await doc('getarticleread|2026-12-05')).reads).toEqual({ '2247490077_1': 99 });
    expect(await count('mp_datacube')).toBe(93);
  });

  it('lists 61501, -1 and 45009 in failed, stores the other days, asks for a failed day again after an hour and after 45009 at midnight', async () => {
    await history();
    const QUOTA = { errCode: 45009, errMsg: 'reach max api daily quota limit' };
    await cloud.client.faults.add('mp.datacube/getarticleread', { errCode: 61501, errMsg: 'date range error' });
    await cloud.client.faults.add('mp.datacube/getusersummary', { errCode: -1, errMsg: 'system error' });
    await cloud.client.faults.add('mp.datacube/getarticletotaldetail', QUOTA);

    const first = await ok();
    expect(first.pulled).toEqual({ getusersummary: 23, getarticleread: 29, getarticletotaldetail: 0 });
    const failedOf = (failed: any[], api: string) => failed.filter((f) => f.api === api);
    // -1: the first 7-day span; 61501: the first day; both asked again in an hour.
    expect(failedOf(first.failed, 'getusersummary').map((f: any) => f.day)).toEqual(FIRST_30.slice(0, 7));
    expect(failedOf(first.failed, 'getusersummary')[0]).toEqual({
      api: 'getusersummary',
      day: '2026-11-05',
      errcode: -1,
      reason: 'WeChat is busy; asked again later; next try 2026-12-05T03:01:00.000Z',
    });
    expect(failedOf(first.failed, 'getarticleread')).toEqual([
      {
        api: 'getarticleread',
        day: '2026-11-05',
        errcode: 61501,
        reason: expect.stringMatching(/^date range error: .*; next try 2026-12-05T03:01:00\.000Z$/),
      },
    ]);
    // 45009 on the first call: the other 29 days are not asked; all wait for midnight Asia/Shanghai.
    expect(await ranges('getarticletotaldetail')).toEqual(['2026-11-05..2026-11-05']);
    const quota = failedOf(first.failed, 'getarticletotaldetail');
    expect(quota.map((f: any) => f.day)).toEqual(FIRST_30);
    expect(quota.every((f: any) => f.errcode === 45009 && f.reason.endsWith('next try 2026-12-05T16:00:00.000Z'))).toBe(true);
    expect(await doc('getarticleread|2026-11-05')).toBeUndefined();
    expect(await doc('getarticleread|2026-11-06')).toBeDefined();
    expect(await doc('getusersummary|2026-11-12')).toBeDefined();

    // Half an hour later nothing is due: one read, no call; the failures are still listed.
    await cloud.client.clock.set('2026-12-05T02:30:00Z');
    const callsBefore = (await calls()).length;
    const requests = await dbRequests();
    const quiet = await ok();
    expect(quiet.days).toEqual([]);
    expect(quiet.failed).toHaveLength(7 + 1 + 30);
    expect((await calls()).length).toBe(callsBefore);
    expect((await dbRequests()) - requests).toBe(1);

    // After the hour: the failed span and day are asked again (the span as one call), the quota still holds.
    await cloud.client.clock.set('2026-12-05T03:01:00Z');
    const retried = await ok();
    expect(retried.pulled).toEqual({ getusersummary: 7, getarticleread: 1, getarticletotaldetail: 0 });
    expect((await calls()).slice(callsBefore).map((c) => `${c.api} ${c.request.begin_date}..${c.request.end_date}`)).toEqual([
      'datacube/getusersummary 2026-11-05..2026-11-11',
      'datacube/getarticleread 2026-11-05..2026-11-05',
    ]);
    expect(retried.failed.map((f: any) => f.api)).toEqual(FIRST_30.map(() => 'getarticletotaldetail'));
    expect((await doc('getarticleread|2026-11-05')).reads).toEqual({});

    // Past midnight Asia/Shanghai (before 08:00: 12-05 is not ready yet): the quota is new, the 30 days are asked.
    await cloud.client.clock.set('2026-12-05T16:05:00Z');
    const afterMidnight = await ok();
    expect(afterMidnight).toEqual({
      days: FIRST_30,
      pulled: { getusersummary: 0, getarticleread: 0, getarticletotaldetail: 30 },
      failed: [],
    });
    expect(await count('mp_datacube')).toBe(90);
    expect(await cursor()).toMatchObject({ pending: [] });
  });

  it('stops at a WeChat that does not answer: the days not asked wait an hour with the reason, then are pulled', async () => {
    await history();
    await cloud.client.faults.add('mp.datacube/getarticleread', 'timeout');
    const first = await ok();
    // The first user-summary span was stored; the first day's reads timed out (5 s); nothing else was asked.
    expect(first.days).toEqual(FIRST_30.slice(0, 7));
    expect(first.pulled).toEqual({ getusersummary: 7, getarticleread: 0, getarticletotaldetail: 0 });
    expect((await calls()).map((c) => c.api)).toEqual(['datacube/getusersummary']);
    expect(first.failed).toHaveLength(23 + 30 + 30);
    expect(first.failed[0]).toMatchObject({ api: 'getarticleread', day: '2026-11-05', errcode: null });
    expect(first.failed[0].reason).toMatch(/^WeChat could not be asked: .*; next try 2026-12-05T03:01:00\.000Z$/);
    expect(first.failed[1].reason).toMatch(/^not asked: WeChat could not be asked: .*; next try 2026-12-05T03:01:00\.000Z$/);

    const before = (await calls()).length;
    expect((await ok()).days).toEqual([]);
    expect((await calls()).length).toBe(before);

    await cloud.client.clock.set('2026-12-05T03:01:00Z');
    expect(await ok()).toEqual({
      days: FIRST_30,
      pulled: { getusersummary: 23, getarticleread: 30, getarticletotaldetail: 30 },
      failed: [],
    });
    expect(await count('mp_datacube')).toBe(90);
  });

  it('a pull by hand asks again for [from, to] (user summary in 7-day spans), lists the days WeChat has not yet, refuses a bad range', async () => {
    await history();
    const range = { from: '2026-11-20', to: '2026-12-05' };
    const byHand = await ok(range);
    expect(byHand.days).toEqual(FIRST_30.slice(15));
    expect(byHand.pulled).toEqual({ getusersummary: 15, getarticleread: 15, getarticletotaldetail: 15 });
    expect(byHand.failed).toEqual(
      ['getusersummary', 'getarticleread', 'getarticletotaldetail'].map((api) => ({
        api,
        day: '2026-12-05',
        errcode: null,
        reason: "not available yet: WeChat has a day's numbers from 08:00 the next day (Asia/Shanghai)",
      })),
    );
    expect(await ranges('getusersummary')).toEqual(['2026-11-20..2026-11-26', '2026-11-27..2026-12-03', '2026-12-04..2026-12-04']);
    expect(await count('mp_datacube')).toBe(45);
    const first = await doc('getarticleread|2026-11-20');

    // Again: the same calls, the same documents overwritten.
    await cloud.client.clock.advance(60_000);
    expect((await ok(range)).pulled).toEqual(byHand.pulled);
    expect(await ranges('getusersummary')).toHaveLength(6);
    expect(await count('mp_datacube')).toBe(45);
    const again = await doc('getarticleread|2026-11-20');
    expect(again.reads).toEqual(first.reads);
    expect(new Date(again.pulledAt).getTime()).toBeGreaterThan(new Date(first.pulledAt).getTime());
    // A pull by hand does not move the scheduled pull's place: its first run still pulls its 30 days.
    expect((await cursor()).through).toEqual({});

    for (const bad of [{ from: '2026-12-01', to: '2026-11-30' }, { from: '2026-10-01', to: '2026-11-30' }, { from: '2026-11-01' }]) {
      expect(await pull(bad)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    }
  });

  it('runs as the scheduler job (runFunnelJobs); one pull at a time: a second one at once answers CONFLICT', async () => {
    await history();
    const tick = async () => {
      const answer = await cloud.invoke('funnelAdmin', { action: 'runFunnelJobs', jobs: ['pullDatacube'] });
      expect(answer.ok).toBe(true);
      return answer.data.jobs[0];
    };
    const run = await tick();
    expect(run).toMatchObject({
      name: 'pullDatacube',
      ran: true,
      result: { pulled: { getusersummary: 30, getarticleread: 30, getarticletotaldetail: 30 } },
    });
    expect(run.error).toBeUndefined();
    expect(await tick()).toMatchObject({ ran: true, result: { days: [], failed: [] } });

    // A slow WeChat holds the first pull (its first call waits 4 s); a second one started meanwhile finds the lease taken.
    await cloud.client.clock.set('2026-12-06T02:00:00Z');
    await cloud.client.faults.delay('mp.datacube/getusersummary', 4_000);
    const a = pull();
    while ((await cloud.client.faults.list()).faults.length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const b = await pull();
    expect(await a).toMatchObject({ ok: true, data: { days: ['2026-12-05'] } });
    expect(b).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect((await cursor()).lease).toBeUndefined();
  });

  it('refuses a member who is not an admin before anything is read, called or written', async () => {
    await cloud.client.clock.set(NOW);
    await cloud.invoke('member', { action: 'login' }, 'bob');
    const before = await count('job_cursors');
    for (const event of [
      { action: 'pullDatacube' },
      { action: 'pullDatacube', from: '2026-11-01', to: '2026-11-02' },
      { action: 'articleReport', article: 'art-x', from: '2026-11-01', to: '2026-11-02' },
      { action: 'runFunnelJobs', jobs: ['pullDatacube'] },
    ]) {
      expect(await cloud.invoke('funnelAdmin', event, 'bob')).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
    }
    expect(await calls()).toEqual([]);
    expect(await count('mp_datacube')).toBe(0);
    expect(await count('job_cursors')).toBe(before);
  });
});

describe('articleReport: one article from 公众号 reads to yuan', () => {
  const cloud = useCloud();
  const report = (event: Record<string, unknown>): Promise<Answer> => cloud.invoke('funnelAdmin', { action: 'articleReport', ...event });
  const dbRequests = async () =>
    Object.entries((await cloud.client.stats()).counts)
      .filter(([action]) => action.startsWith('database.'))
      .reduce((sum, [, n]) => sum + n, 0);

  const row = (key: string, m: Partial<Record<string, number>>) => ({ key, ...zeroMetrics(), ...m });
  const snapshot = (day: string, model: string, by: string, rows: ReturnType<typeof row>[]) => ({
    _id: `${day}|${model}|${by}`,
    day,
    model,
    by,
    windowDays: 7,
    rows,
    total: row('*', {}),
  });

  const setUp = async () => {
    await cloud.client.clock.set(NOW);
    await cloud.client.mp.setArticles(ARTICLES);
    const db = cloud.db();
    await db
      .collection('articles')
      .doc('art-winter')
      .set({ data: { title: '冬季上新', mpMsgids: ['2247490001_1', '2247490001_2'] } });
    await db
      .collection('articles')
      .doc('art-plain')
      .set({ data: { title: '没有公众号的文章' } });
    // The nightly snapshots (written directly here): 11-20 and 11-21 under last_non_direct, another model, another dimension.
    const docs = [
      snapshot('2026-11-20', 'last_non_direct', 'article', [
        row('art-winter', { visitors: 70, scans: 60, newMembers: 20, orders: 12, payers: 9, paidFen: 90_000, refundedFen: 0 }),
        row('art-other', { scans: 999, orders: 999 }),
      ]),
      snapshot('2026-11-21', 'last_non_direct', 'article', [
        row('art-winter', { scans: 20, newMembers: 4, orders: 3, payers: 3, paidFen: 30_000, refundedFen: 12_000 }),
      ]),
      snapshot('2026-11-22', 'last_non_direct', 'article', [row('art-other', { scans: 5 })]),
      snapshot('2026-11-20', 'first', 'article', [row('art-winter', { scans: 1, newMembers: 1, orders: 1, payers: 1, paidFen: 500 })]),
      snapshot('2026-11-20', 'last_non_direct', 'campaign', [row('art-winter', { scans: 777 })]),
    ];
    for (const { _id, ...fields } of docs) await db.collection('funnel_daily').doc(_id).set({ data: fields });
    // The reads of 11-20 to 11-22 pulled from the 公众号 (11-23 is not).
    const pulled = await cloud.invoke('funnelAdmin', { action: 'pullDatacube', from: '2026-11-20', to: '2026-11-22' });
    expect(pulled.ok).toBe(true);
  };

  it('sums the reads of its msgids and its snapshot rows under the model, each step ÷ the one before, in three database requests', async () => {
    await setUp();
    const before = await dbRequests();
    const answer = await report({ article: 'art-winter', from: '2026-11-20', to: '2026-11-23' });
    expect((await dbRequests()) - before).toBe(3);
    expect(answer).toEqual({
      ok: true,
      data: {
        article: 'art-winter',
        title: '冬季上新',
        modelStatement: '归因：末次非直接触达（7 天窗口）',
        period: { from: '2026-11-20', to: '2026-11-23' },
        steps: [
          // 500 + 200 (first msgid, 11-20 and 11-21) + 80 + 15 (second msgid, 11-20 and 11-22).
          { step: 'reads', label: '公众号阅读', value: 795, fromPrevious: '—' },
          { step: 'scans', label: '扫码进入', value: 80, fromPrevious: '10.1%' },
          { step: 'newMembers', label: '新会员', value: 24, fromPrevious: '30.0%' },
          { step: 'orders', label: '下单', value: 15, fromPrevious: '62.5%' },
          { step: 'payers', label: '付款人', value: 12, fromPrevious: '80.0%' },
          // (90,000 + 30,000 − 12,000) fen over 12 payers.
          { step: 'netFen', label: '净收入', value: 108_000, fromPrevious: '¥90.00/人' },
        ],
        readsMissingDays: ['2026-11-23'],
        missingDays: ['2026-11-23'],
      },
    });

    const first = await report({ article: 'art-winter', from: '2026-11-20', to: '2026-11-20', model: 'first' });
    expect(first).toMatchObject({
      ok: true,
      data: {
        modelStatement: '归因：首次触达',
        steps: [
          { step: 'reads', value: 580 },
          { step: 'scans', value: 1, fromPrevious: '0.2%' },
          { step: 'newMembers', value: 1, fromPrevious: '100.0%' },
          { step: 'orders', value: 1 },
          { step: 'payers', value: 1 },
          { step: 'netFen', value: 500, fromPrevious: '¥5.00/人' },
        ],
        readsMissingDays: [],
        missingDays: [],
      },
    });
  });

  it('says when an article has no 公众号 msgid; refuses an unknown article and a bad period', async () => {
    await setUp();
    const plain = await report({ article: 'art-plain', from: '2026-11-20', to: '2026-11-22' });
    expect(plain).toMatchObject({
      ok: true,
      data: {
        title: '没有公众号的文章',
        readsMissingDays: [],
        missingDays: [],
      },
    });
    expect(plain.ok && plain.data.steps.slice(0, 2)).toEqual([
      { step: 'reads', label: '公众号阅读（未关联公众号文章）', value: 0, fromPrevious: '—' },
      { step: 'scans', label: '扫码进入', value: 0, fromPrevious: '—' },
    ]);
    expect(await report({ article: 'art-none', from: '2026-11-20', to: '2026-11-22' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await report({ article: 'art-winter', from: '2026-11-22', to: '2026-11-20' })).toMatchObject({
      ok: false,
      code: 'INVALID_ARGUMENT',
    });
    expect(await report({ article: 'art-winter', from: '2025-01-01', to: '2026-11-20' })).toMatchObject({
      ok: false,
      code: 'INVALID_ARGUMENT',
    });
  });
});
