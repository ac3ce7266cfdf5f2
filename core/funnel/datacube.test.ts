import { describe, expect, it } from 'vitest';
import { articleSteps, perPayer, rateOf } from './article-report';
import {
  chunkDays,
  DELAYED_REASON,
  docsOfAnswer,
  emptyState,
  latestReadyDay,
  nextShanghaiMidnight,
  type PullState,
  planRange,
  planScheduled,
  reasonOf,
  recordOutcome,
  retryAtAfter,
} from './datacube';
import { zeroMetrics } from './tally';

// 2026-12-05 10:00 in Shanghai: yesterday (12-04) is ready.
const MORNING = new Date('2026-12-05T02:00:00Z');
// 2026-12-05 07:30 in Shanghai: yesterday is not ready before 08:00.
const EARLY = new Date('2026-12-04T23:30:00Z');

const calls = (plan: Array<{ api: string; begin: string; end: string }>) => plan.map((c) => `${c.api} ${c.begin}..${c.end}`);

describe('when a day is ready', () => {
  it('is yesterday from 08:00 Asia/Shanghai, the day before until then', () => {
    expect(latestReadyDay(MORNING)).toBe('2026-12-04');
    expect(latestReadyDay(EARLY)).toBe('2026-12-03');
    expect(latestReadyDay(new Date('2026-12-05T00:00:00Z'))).toBe('2026-12-04'); // 08:00 sharp
    expect(latestReadyDay(new Date('2026-12-04T23:59:59Z'))).toBe('2026-12-03');
  });

  it('quotas start again at midnight Asia/Shanghai; failed days wait 1 h, 2 h, 4 h … at most a day', () => {
    expect(nextShanghaiMidnight(MORNING).toISOString()).toBe('2026-12-05T16:00:00.000Z');
    expect(nextShanghaiMidnight(new Date('2026-12-05T16:00:00Z')).toISOString()).toBe('2026-12-06T16:00:00.000Z');
    const hours = [1, 2, 3, 4, 5, 6, 20].map((n) => (retryAtAfter(n, MORNING).getTime() - MORNING.getTime()) / 3_600_000);
    expect(hours).toEqual([1, 2, 4, 8, 16, 24, 24]);
  });
});

describe('planning the calls', () => {
  it('cuts consecutive days at the span of the API (7 for the user summary, 1 for articles)', () => {
    const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08', '2026-11-09'];
    expect(calls(chunkDays('getusersummary', days))).toEqual([
      'getusersummary 2026-11-01..2026-11-03',
      'getusersummary 2026-11-05..2026-11-09',
    ]);
    const long = Array.from({ length: 16 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`);
    expect(calls(chunkDays('getusersummary', long))).toEqual([
      'getusersummary 2026-11-01..2026-11-07',
      'getusersummary 2026-11-08..2026-11-14',
      'getusersummary 2026-11-15..2026-11-16',
    ]);
    expect(chunkDays('getarticleread', days.slice(0, 2)).map((c) => c.days)).toEqual([['2026-11-01'], ['2026-11-02']]);
  });

  it('the first run asks for the last 30 ready days, oldest first: 5 user-summary calls and 30 per article API', () => {
    const plan = planScheduled(emptyState(), MORNING);
    expect(plan.filter((c) => c.api === 'getusersummary').map((c) => `${c.begin}..${c.end}`)).toEqual([
      '2026-11-05..2026-11-11',
      '2026-11-12..2026-11-18',
      '2026-11-19..2026-11-25',
      '2026-11-26..2026-12-02',
      '2026-12-03..2026-12-04',
    ]);
    expect(plan.filter((c) => c.api === 'getarticleread')).toHaveLength(30);
    expect(plan.filter((c) => c.api === 'getarticletotaldetail')).toHaveLength(30);
    expect(calls(plan.slice(0, 4))).toEqual([
      'getusersummary 2026-11-05..2026-11-11',
      'getarticleread 2026-11-05..2026-11-05',
      'getarticletotaldetail 2026-11-05..2026-11-05',
      'getarticleread 2026-11-06..2026-11-06',
    ]);
    expect(plan.at(-1)).toMatchObject({ api: 'getarticletotaldetail', begin: '2026-12-04' });
  });

  it('asks for nothing when every ready day is stored, and for the next day once it is ready', () => {
    const state: PullState = {
      through: { getusersummary: '2026-12-03', getarticleread: '2026-12-03', getarticletotaldetail: '2026-12-03' },
      pending: [],
      quotaUntil: {},
    };
    expect(planScheduled(state, EARLY)).toEqual([]);
    expect(calls(planScheduled(state, MORNING))).toEqual([
      'getusersummary 2026-12-04..2026-12-04',
      'getarticleread 2026-12-04..2026-12-04',
      'getarticletotaldetail 2026-12-04..2026-12-04',
    ]);
  });

  it('asks for a failed day again only when its retry time has come, and for nothing of an API behind its quota', () => {
    const state: PullState = {
      through: { getusersummary: '2026-12-04', getarticleread: '2026-12-04', getarticletotaldetail: '2026-12-03' },
      pending: [
        { api: 'getarticleread', day: '2026-12-01', errcode: 61501, reason: 'x', attempts: 1, retryAt: '2026-12-05T01:00:00.000Z' },
        { api: 'getarticleread', day: '2026-12-02', errcode: 61501, reason: 'x', attempts: 1, retryAt: '2026-12-05T03:00:00.000Z' },
      ],
      quotaUntil: { getarticletotaldetail: '2026-12-05T16:00:00.000Z', getusersummary: '2026-12-04T16:00:00.000Z' },
    };
    expect(calls(planScheduled(state, MORNING))).toEqual(['getarticleread 2026-12-01..2026-12-01']);
  });

  it('a pull by hand asks every API for the ready days of its range; the others are not ready', () => {
    const { calls: plan, notReady } = planRange('2026-12-03', '2026-12-05', EARLY);
    expect(calls(plan)).toEqual([
      'getusersummary 2026-12-03..2026-12-03',
      'getarticleread 2026-12-03..2026-12-03',
      'getarticletotaldetail 2026-12-03..2026-12-03',
    ]);
    expect(notReady).toEqual(['2026-12-04', '2026-12-05']);
  });
});

describe('recording what WeChat answered', () => {
  const week = chunkDays('getusersummary', ['2026-11-28', '2026-11-29', '2026-11-30'])[0];
  const oneDay = chunkDays('getarticleread', ['2026-11-29'])[0];

  it('a stored call moves through past its days and clears them from pending', () => {
    const failed = recordOutcome(emptyState(), oneDay, { kind: 'failed', errcode: 61501, reason: reasonOf(61501) }, MORNING);
    expect(failed.pending).toEqual([
      {
        api: 'getarticleread',
        day: '2026-11-29',
        errcode: 61501,
        reason: reasonOf(61501),
        attempts: 1,
        retryAt: '2026-12-05T03:00:00.000Z',
      },
    ]);
    expect(failed.through).toEqual({ getarticleread: '2026-11-29' });
    const again = recordOutcome(failed, oneDay, { kind: 'failed', errcode: -1, reason: reasonOf(-1) }, new Date('2026-12-05T03:00:00Z'));
    expect(again.pending[0]).toMatchObject({ errcode: -1, attempts: 2, retryAt: '2026-12-05T05:00:00.000Z' });
    const stored = recordOutcome(again, oneDay, { kind: 'stored', delayed: false }, MORNING);
    expect(stored.pending).toEqual([]);
    expect(stored.through).toEqual({ getarticleread: '2026-11-29' });
  });

  it('45009 holds the API until midnight Asia/Shanghai; skipped days wait with it; delayed numbers are asked again', () => {
    const quota = recordOutcome(emptyState(), week, { kind: 'failed', errcode: 45009, reason: reasonOf(45009) }, MORNING);
    expect(quota.quotaUntil).toEqual({ getusersummary: '2026-12-05T16:00:00.000Z' });
    expect(quota.pending.map((p) => [p.day, p.errcode, p.retryAt])).toEqual([
      ['2026-11-28', 45009, '2026-12-05T16:00:00.000Z'],
      ['2026-11-29', 45009, '2026-12-05T16:00:00.000Z'],
      ['2026-11-30', 45009, '2026-12-05T16:00:00.000Z'],
    ]);
    expect(quota.through).toEqual({ getusersummary: '2026-11-30' });
    const skipped = recordOutcome(
      emptyState(),
      oneDay,
      { kind: 'skipped', errcode: null, reason: 'not asked', retryAt: new Date('2026-12-05T03:00:00Z') },
      MORNING,
    );
    expect(skipped.pending[0]).toMatchObject({ errcode: null, attempts: 0, retryAt: '2026-12-05T03:00:00.000Z' });
    const delayed = recordOutcome(emptyState(), oneDay, { kind: 'stored', delayed: true }, MORNING);
    expect(delayed.pending[0]).toMatchObject({ errcode: null, reason: DELAYED_REASON, retryAt: '2026-12-05T03:00:00.000Z' });
  });

  it("reasons are English, WeChat's message added for codes Duet does not know", () => {
    expect(reasonOf(61501)).toMatch(/^date range error/);
    expect(reasonOf(61500)).toMatch(/^date format error/);
    expect(reasonOf(45009)).toMatch(/daily quota/);
    expect(reasonOf(48001, 'api unauthorized rid: 1234')).toBe('the account has no permission for this API (WeChat: api unauthorized)');
  });
});

describe('answers become one document per API and day', () => {
  const at = new Date('2026-12-05T02:00:00Z');

  it('user summary: every day of the call, all sources summed', () => {
    const call = chunkDays('getusersummary', ['2026-11-28', '2026-11-29'])[0];
    const docs = docsOfAnswer(
      call,
      {
        list: [
          { ref_date: '2026-11-28', user_source: 30, new_user: 4, cancel_user: 1 },
          { ref_date: '2026-11-28', user_source: 0, new_user: 0, cancel_user: 2 },
          { ref_date: '2026-11-27', user_source: 0, new_user: 9, cancel_user: 9 },
        ],
      },
      at,
    );
    expect(docs).toEqual([
      {
        _id: 'getusersummary|2026-11-28',
        api: 'getusersummary',
        day: '2026-11-28',
        newUser: 4,
        cancelUser: 3,
        sources: [
          { userSource: 0, newUser: 0, cancelUser: 2 },
          { userSource: 30, newUser: 4, cancelUser: 1 },
        ],
        pulledAt: at,
      },
      { _id: 'getusersummary|2026-11-29', api: 'getusersummary', day: '2026-11-29', newUser: 0, cancelUser: 0, sources: [], pulledAt: at },
    ]);
  });

  it('article reads: readers per msgid and per scene; rows that are no msgid are left out', () => {
    const call = chunkDays('getarticleread', ['2026-11-29'])[0];
    const [doc] = docsOfAnswer(
      call,
      {
        list: [
          {
            ref_date: '2026-11-29',
            msgid: '2247483650_1',
            detail: {
              read_user: 120,
              read_user_source: [
                { user_count: 120, scene_desc: '全部' },
                { user_count: 80, scene_desc: '公众号消息' },
              ],
            },
          },
          { ref_date: '2026-11-29', msgid: 'a.b', detail: { read_user: 5 } },
        ],
        is_delay: false,
      },
      at,
    );
    expect(doc).toEqual({
      _id: 'getarticleread|2026-11-29',
      api: 'getarticleread',
      day: '2026-11-29',
      reads: { '2247483650_1': 120 },
      sources: { '2247483650_1': [{ scene: '公众号消息', users: 80 }] },
      isDelay: false,
      pulledAt: at,
    });
  });

  it('article totals: the articles published that day with their title and totals', () => {
    const call = chunkDays('getarticletotaldetail', ['2026-11-29'])[0];
    const [doc] = docsOfAnswer(
      call,
      {
        list: [
          {
            ref_date: '2026-11-29',
            msgid: '2247483650_1',
            publish_type: 0,
            title: '春季会员节',
            content_url: 'https://mp.weixin.qq.com/s?x',
            detail_list: [{ stat_date: '2026-11-29', read_user: 7, share_user: 1, read_finish_rate: 0.5 }],
          },
        ],
        is_delay: true,
      },
      at,
    );
    expect(doc).toMatchObject({
      _id: 'getarticletotaldetail|2026-11-29',
      isDelay: true,
      articles: [
        {
          msgid: '2247483650_1',
          title: '春季会员节',
          contentUrl: 'https://mp.weixin.qq.com/s?x',
          publishType: 0,
          detail: [{ statDate: '2026-11-29', readUser: 7, shareUser: 1, readFinishRate: 0.5, likeUser: 0, readUserSources: [] }],
        },
      ],
    });
  });
});

describe('the article report steps', () => {
  it('each step ÷ the step before, one decimal; the money step is net yuan per payer', () => {
    const metrics = { ...zeroMetrics(), scans: 150, newMembers: 40, orders: 50, payers: 30, paidFen: 123_456, refundedFen: 3_456 };
    expect(articleSteps(1200, metrics)).toEqual([
      { step: 'reads', label: '公众号阅读', value: 1200, fromPrevious: '—' },
      { step: 'scans', label: '扫码进入', value: 150, fromPrevious: '12.5%' },
      { step: 'newMembers', label: '新会员', value: 40, fromPrevious: '26.7%' },
      { step: 'orders', label: '下单', value: 50, fromPrevious: '125.0%' },
      { step: 'payers', label: '付款人', value: 30, fromPrevious: '60.0%' },
      { step: 'netFen', label: '净收入', value: 120_000, fromPrevious: '¥40.00/人' },
    ]);
  });

  it('a zero base has no rate; an article without a msgid says so and nothing is compared with its reads', () => {
    const steps = articleSteps(null, { ...zeroMetrics(), scans: 3 });
    expect(steps[0]).toEqual({ step: 'reads', label: '公众号阅读（未关联公众号文章）', value: 0, fromPrevious: '—' });
    expect(steps.map((s) => s.fromPrevious)).toEqual(['—', '—', '0.0%', '—', '—', '—']);
    expect(articleSteps(0, { ...zeroMetrics(), scans: 3 })[1].fromPrevious).toBe('—');
  });

  it('rounds half up to one decimal and to the fen', () => {
    expect(rateOf(1, 3)).toBe('33.3%');
    expect(rateOf(2, 3)).toBe('66.7%');
    expect(rateOf(1, 8)).toBe('12.5%');
    expect(rateOf(1, 16)).toBe('6.3%');
    expect(perPayer(100, 3)).toBe('¥0.33/人');
    expect(perPayer(-250, 1)).toBe('-¥2.50/人');
    expect(perPayer(5, 0)).toBe('—');
  });
});
