import { beforeEach, describe, expect, it } from 'vitest';
import { CAMPAIGN_PAGE, LANDING_PAGE } from '../../core/pages';
import { useCloud } from '../support/cloud';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('admin console jobs through the real SDK on the local cloud', () => {
  const cloud = useCloud();

  // Codes may only name articles and campaigns that exist.
  beforeEach(async () => {
    const db = cloud.db();
    for (const _id of ['art-0', 'art-1', 'art-2', 'art-3', 'art-4', 'art-9'])
      await db.collection('articles').add({ data: { _id, title: _id } });
    for (const _id of ['cmp-1', 'cmp-2']) await db.collection('campaigns').add({ data: { _id, name: _id } });
  });
  const admin = (event: Record<string, unknown>) => cloud.invoke('admin', event);
  const count = async (collection: string) => (await cloud.db().collection(collection).count()).total as number;
  const wxacodeCalls = async () =>
    ((await cloud.client.outbox.list('wxacode')).entries as any[]).filter((e) => e.api === 'wxacode.getUnlimited');
  const written = async () => {
    const { collections } = await cloud.client.db.info();
    // The articles and campaigns each test starts with are not the job's writes.
    return collections.filter((c) => c.count > 0 && c.name !== 'articles' && c.name !== 'campaigns').map((c) => `${c.name}:${c.count}`);
  };
  const code = (extra: Record<string, unknown> = {}) => ({
    action: 'createArticleCode',
    article: 'art-1',
    campaign: 'cmp-1',
    page: CAMPAIGN_PAGE,
    params: { campaign: 'cmp-1' },
    ...extra,
  });

  describe('authorization', () => {
    it('refuses an ordinary member with PERMISSION_DENIED and writes nothing', async () => {
      await cloud.invoke('member', { action: 'login' }, 'alice');
      const before = await written();
      const result = await cloud.invoke('admin', code({ scene: 'alice-try' }), 'alice');
      expect(result).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
      expect(result.message).toMatch(/[\u4e00-\u9fff]/);
      expect(await written()).toEqual(before);
      expect(await wxacodeCalls()).toHaveLength(0);
    });

    it('refuses a stranger without creating a member for them', async () => {
      const result = await cloud.invoke('admin', { action: 'addAdmin', memberId: 'x' }, 'bob');
      expect(result).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
      expect(await written()).toEqual([]);
    });

    it('admits the console and a timer trigger', async () => {
      expect(await admin({ action: 'setKeywordReplies', rules: [] })).toMatchObject({ ok: true });
      const answer = await cloud.client.invoke('admin', { event: { action: 'setKeywordReplies', rules: [] }, source: 'wx_trigger' });
      expect(answer).toMatchObject({ result: { ok: true } });
    });

    it('refuses an HTTP-triggered caller without a user', async () => {
      const answer = await cloud.client.invoke('admin', { event: { action: 'setKeywordReplies', rules: [] }, source: 'wx_http' });
      expect(answer).toMatchObject({ result: { ok: false, code: 'PERMISSION_DENIED' } });
    });

    it('admits a member once addAdmin put them on the list (idempotently)', async () => {
      const login = await cloud.invoke('member', { action: 'login' }, 'alice');
      expect(await cloud.invoke('admin', { action: 'setKeywordReplies', rules: [] }, 'alice')).toMatchObject({ code: 'PERMISSION_DENIED' });
      expect(await admin({ action: 'addAdmin', memberId: login.data._id })).toMatchObject({ ok: true, data: { created: true } });
      expect(await admin({ action: 'addAdmin', memberId: login.data._id })).toMatchObject({ ok: true, data: { created: false } });
      expect(await count('admins')).toBe(1);
      expect(await cloud.invoke('admin', { action: 'setKeywordReplies', rules: [] }, 'alice')).toMatchObject({ ok: true });
      expect(await admin({ action: 'addAdmin', memberId: 'no-such-member' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    });
  });

  describe('createArticleCode', () => {
    it('stores the scene, generates the PNG once into storage and returns a fetchable temp URL', async () => {
      const result = await admin(code({ scene: 'spring-01' }));
      expect(result).toMatchObject({ ok: true, data: { scene: 'spring-01', page: CAMPAIGN_PAGE, codePage: LANDING_PAGE, created: true } });
      const scene = (await cloud.db().collection('scenes').doc('spring-01').get()).data;
      expect(scene).toMatchObject({
        article: 'art-1',
        campaign: 'cmp-1',
        channel: 'article',
        page: CAMPAIGN_PAGE,
        params: { campaign: 'cmp-1' },
      });
      expect(scene.fileID).toBe(result.data.fileID);
      expect(scene.fileID).toMatch(/article-codes\/spring-01\.png$/);
      const image = await fetch(result.data.tempFileURL);
      expect(image.status).toBe(200);
      const bytes = new Uint8Array(await image.arrayBuffer());
      expect([...bytes.slice(0, 8)]).toEqual(PNG_SIGNATURE);
      const calls = await wxacodeCalls();
      expect(calls).toHaveLength(1);
      expect(calls[0].functionName).toBe('admin');
      expect(calls[0].response.url).toContain(`${LANDING_PAGE}?scene=spring-01`);
    });

    it('generates a short key from an unambiguous alphabet when none is given', async () => {
      const result = await admin(code());
      expect(result.ok).toBe(true);
      expect(result.data.scene).toMatch(/^[2-9a-hjkmnp-zA-HJ-NP-Z]{8}$/);
      expect(await count('scenes')).toBe(1);
    });

    it('validates the key: 33 characters, % and Chinese are refused; exactly 32 is fine', async () => {
      for (const scene of ['a'.repeat(33), 'spring%20', '春季']) {
        const result = await admin(code({ scene }));
        expect(result).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
        expect(result.detail).toMatch(/^scene:/);
      }
      expect(await count('scenes')).toBe(0);
      expect(await wxacodeCalls()).toHaveLength(0);
      const ok = await admin(code({ scene: 'A'.repeat(32) }));
      expect(ok).toMatchObject({ ok: true, data: { scene: 'A'.repeat(32) } });
    });

    it('refuses a page the app does not have and an article or campaign that does not exist, writing nothing', async () => {
      const result = await admin(code({ scene: 'nowhere', page: 'packages/nope/index', article: 'art-missing', campaign: 'cmp-missing' }));
      expect(result).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      expect(result.detail).toContain('page packages/nope/index is not a page of the app');
      expect(result.detail).toContain('article art-missing does not exist');
      expect(result.detail).toContain('campaign cmp-missing does not exist');
      const batch = await admin({
        action: 'createArticleCodes',
        checkPath: false,
        items: [{ article: 'art-1', page: 'packages/nope/index' }],
      });
      expect(batch).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      expect(batch.detail).toContain('line 1: page packages/nope/index is not a page of the app');
      const qr = await admin({ action: 'createMpQrCode', campaign: 'cmp-missing' });
      expect(qr).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      expect(await written()).toEqual([]);
      expect(await wxacodeCalls()).toHaveLength(0);
    });

    it('refuses a page with a leading slash or a query, naming the field', async () => {
      for (const page of ['/pages/index/index', 'pages/index/index?x=1']) {
        const result = await admin(code({ page }));
        expect(result).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
        expect(result.detail).toMatch(/^page:/);
      }
    });

    it('keeps keys with characters that are not file-name safe in storage', async () => {
      const result = await admin(code({ scene: 'a/b?c#d' }));
      expect(result).toMatchObject({ ok: true, data: { scene: 'a/b?c#d' } });
      expect(result.data.fileID).toMatch(/article-codes\/a\.2fb\.3fc\.23d\.png$/);
    });

    it('same key, same target twice: one document, one image generation', async () => {
      const first = await admin(code({ scene: 'twice', params: { b: '2', a: '1' } }));
      const second = await admin(code({ scene: 'twice', params: { a: '1', b: '2' } }));
      expect(first.data.created).toBe(true);
      expect(second).toMatchObject({ ok: true, data: { scene: 'twice', created: false, fileID: first.data.fileID } });
      expect(await count('scenes')).toBe(1);
      expect(await wxacodeCalls()).toHaveLength(1);
    });

    it('same key, another target: ALREADY_EXISTS and the stored scene unchanged', async () => {
      await admin(code({ scene: 'taken' }));
      const result = await admin(code({ scene: 'taken', article: 'art-2' }));
      expect(result).toMatchObject({ ok: false, code: 'ALREADY_EXISTS' });
      expect((await cloud.db().collection('scenes').doc('taken').get()).data.article).toBe('art-1');
    });

    it('concurrent creations of one key generate its image once', async () => {
      const results = await Promise.all(Array.from({ length: 4 }, () => admin(code({ scene: 'race' }))));
      expect(results.every((r) => r.ok)).toBe(true);
      expect(new Set(results.map((r) => r.data.fileID)).size).toBe(1);
      expect(await wxacodeCalls()).toHaveLength(1);
    });

    it('a WeChat failure leaves the scene without an image; the next run generates it', async () => {
      await cloud.client.faults.add('wxacode.getUnlimited', { errCode: 45009, errMsg: 'reach max api daily quota limit' });
      const failed = await admin(code({ scene: 'retry-me' }));
      expect(failed).toMatchObject({ ok: false, code: 'RESOURCE_EXHAUSTED' });
      const again = await admin(code({ scene: 'retry-me' }));
      expect(again).toMatchObject({ ok: true, data: { scene: 'retry-me' } });
      expect(await count('scenes')).toBe(1);
    });
  });

  describe('createArticleCodes', () => {
    const csv = [
      'scene,article,campaign,channel,page,params',
      `csv-1,art-1,cmp-1,article,${CAMPAIGN_PAGE},campaign=cmp-1&article=art-1`,
      `csv-2,art-2,,poster,${CAMPAIGN_PAGE},campaign=cmp-1`,
      ',art-3,,,pages/index/index,',
    ].join('\n');

    it('creates every row of a CSV and reports per-row results', async () => {
      const result = await admin({ action: 'createArticleCodes', csv, checkPath: false });
      expect(result).toMatchObject({ ok: true, data: { total: 3, done: 3, remaining: 0, created: 3, existing: 0 } });
      expect(result.data.results.map((r: any) => r.line)).toEqual([2, 3, 4]);
      expect(result.data.results[0]).toMatchObject({ scene: 'csv-1', status: 'created' });
      expect(result.data.results[2].scene).toMatch(/^[2-9a-zA-Z]{8}$/);
      for (const row of result.data.results) expect(row.tempFileURL).toMatch(/^http/);
      const poster = (await cloud.db().collection('scenes').doc('csv-2').get()).data;
      expect(poster).toMatchObject({ channel: 'poster', params: { campaign: 'cmp-1' } });
      expect(poster.campaign).toBeUndefined();
      // The same batch again: nothing new.
      const again = await admin({ action: 'createArticleCodes', csv, checkPath: false });
      expect(again.data).toMatchObject({ total: 3, done: 3, remaining: 0 });
      expect(await count('scenes')).toBe(3);
      expect(await wxacodeCalls()).toHaveLength(3);
    });

    it('one bad row: nothing written, every bad line reported', async () => {
      const bad = [
        'scene,article,page,params',
        `ok-1,art-1,${CAMPAIGN_PAGE},`,
        `${'x'.repeat(33)},art-1,${CAMPAIGN_PAGE},`,
        `ok-2,art-1,/pages/index/index,`,
        `ok-3,art-1,${CAMPAIGN_PAGE},novalue`,
      ].join('\n');
      const result = await admin({ action: 'createArticleCodes', csv: bad });
      expect(result).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      expect(result.detail).toContain('line 3: scene');
      expect(result.detail).toContain('line 4: page');
      expect(result.detail).toContain('line 5: params');
      expect(result.detail).not.toContain('line 2');
      expect(await written()).toEqual([]);
      expect(await wxacodeCalls()).toHaveLength(0);
    });

    it('reports a key that already leads elsewhere before writing anything', async () => {
      await admin(code({ scene: 'exists' }));
      const items = [
        { scene: 'new-1', article: 'art-1', page: CAMPAIGN_PAGE },
        { scene: 'exists', article: 'art-9', page: CAMPAIGN_PAGE },
      ];
      const result = await admin({ action: 'createArticleCodes', items });
      expect(result).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      expect(result.detail).toContain('line 2: scene exists already exists');
      expect(await count('scenes')).toBe(1);
    });

    it('resumes from its cursor after a stop and a failure mid-way: every code exactly once', async () => {
      const items = Array.from({ length: 5 }, (_, i) => ({ article: `art-${i}`, page: CAMPAIGN_PAGE, params: { n: String(i) } }));
      const event = { action: 'createArticleCodes', items, checkPath: false, chunkSize: 2 };
      const first = await admin(event);
      expect(first).toMatchObject({ ok: true, data: { total: 5, done: 2, remaining: 3 } });
      expect(first.data.results).toHaveLength(2);
      // WeChat fails on the next code: the run stops with the error, the cursor keeps what was done.
      await cloud.client.faults.add('wxacode.getUnlimited', { errCode: -604102, errMsg: 'call open API timeout' });
      expect(await admin(event)).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
      const third = await admin(event);
      expect(third).toMatchObject({ ok: true, data: { jobId: first.data.jobId, done: 4, remaining: 1 } });
      const last = await admin(event);
      expect(last).toMatchObject({ ok: true, data: { done: 5, remaining: 0, created: 5 } });
      const scenes = last.data.results.map((r: any) => r.scene);
      expect(new Set(scenes).size).toBe(5);
      expect(scenes.slice(0, 2)).toEqual(first.data.results.map((r: any) => r.scene));
      expect(await count('scenes')).toBe(5);
      const generated = (await wxacodeCalls()).filter((c) => c.response?.bytes > 0);
      expect(generated).toHaveLength(5);
      expect(await count('job_cursors')).toBe(1);
    });
  });

  it('seed twice gives the same data', async () => {
    const first = await admin({ action: 'seed' });
    expect(first).toMatchObject({ ok: true, data: { articles: 3, campaigns: 3, keywordReplies: 3, groupBuys: 2 } });
    const snapshot = async () => {
      const out: Record<string, unknown> = {};
      for (const name of ['articles', 'campaigns', 'scenes', 'keyword_replies', 'groupbuy_activities']) {
        out[name] = (await cloud.db().collection(name).orderBy('_id', 'asc').get()).data;
      }
      return out;
    };
    const before = await snapshot();
    const second = await admin({ action: 'seed' });
    expect(second.ok).toBe(true);
    expect(second.data.scenes.every((s: any) => s.created === false)).toBe(true);
    expect(await snapshot()).toEqual(before);
    expect(await wxacodeCalls()).toHaveLength(first.data.scenes.length);
    // The seeded code leads where the landing page expects it to.
    const visit = await cloud.invoke('member', { action: 'visit', scene: 'spring-a1' }, 'alice');
    expect(visit).toMatchObject({ ok: true, data: { page: CAMPAIGN_PAGE, params: { campaign: 'cmp-spring' } } });
  });

  describe('公众号 jobs', () => {
    it('setMpMenu refuses a miniprogram button without url and sends a good menu to menu/create', async () => {
      const bad = await admin({ action: 'setMpMenu', buttons: [{ name: '会员', type: 'miniprogram', pagepath: 'pages/member/index' }] });
      expect(bad).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      expect(bad.detail).toContain('buttons.0.url');
      const tooLong = await admin({ action: 'setMpMenu', buttons: [{ name: '这是一个很长的菜单名', type: 'click', key: 'K' }] });
      expect(tooLong.detail).toContain('buttons.0.name');
      const buttons = [
        { name: '会员中心', type: 'miniprogram', pagepath: 'pages/member/index', url: 'https://example.com/member' },
        {
          name: '活动',
          sub_button: [
            { name: '春季会员节', type: 'view', url: 'https://mp.weixin.qq.com/s/duet' },
            { name: '签到', type: 'click', key: 'SIGN_IN' },
          ],
        },
      ];
      const result = await admin({ action: 'setMpMenu', buttons });
      expect(result).toMatchObject({ ok: true });
      const sent = ((await cloud.client.outbox.list('mp')).entries as any[]).filter((e) => e.api === 'menu/create');
      expect(sent).toHaveLength(1);
      expect(sent[0].response).toMatchObject({ errcode: 0 });
      expect(sent[0].request.button[0]).toMatchObject({ type: 'miniprogram', pagepath: 'pages/member/index' });
      expect(sent[0].request.button[0].appid).toBe(cloud.emulator.ctx.options.appid);
      expect(sent[0].request.button[1].sub_button).toHaveLength(2);
    });

    it('setKeywordReplies stores exactly the input and replaces the previous set', async () => {
      const rules = [
        {
          keyword: '优惠',
          match: 'contains',
          reply: { type: 'miniprogrampage', title: '领取优惠', pagepath: `${CAMPAIGN_PAGE}?campaign=cmp-1` },
          priority: 1,
        },
        { keyword: '你好', match: 'exact', reply: { type: 'text', content: '你好！' }, priority: 100 },
      ];
      await admin({ action: 'setKeywordReplies', rules: [{ keyword: '旧', reply: { type: 'text', content: 'old' } }] });
      const result = await admin({ action: 'setKeywordReplies', rules });
      expect(result).toMatchObject({ ok: true, data: { removed: 1 } });
      const stored = (await cloud.db().collection('keyword_replies').get()).data.map(({ _id, updatedAt, ...rule }: any) => rule);
      const byKeyword = (a: any, b: any) => a.keyword.localeCompare(b.keyword);
      expect(stored.sort(byKeyword)).toEqual([...rules].sort(byKeyword));
      const noTitle = await admin({
        action: 'setKeywordReplies',
        rules: [{ keyword: 'x', reply: { type: 'miniprogrampage', pagepath: 'pages/index/index' } }],
      });
      expect(noTitle).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
      expect(noTitle.detail).toContain('rules.0.reply.title');
      expect(await count('keyword_replies')).toBe(2);
    });

    it('createMpQrCode makes a permanent code for a scene once and a temporary one on request', async () => {
      const result = await admin({
        action: 'createMpQrCode',
        scene: 'poster-1',
        campaign: 'cmp-1',
        page: CAMPAIGN_PAGE,
        params: { campaign: 'cmp-1' },
      });
      expect(result).toMatchObject({ ok: true, data: { scene: 'poster-1', permanent: true, created: true, expiresAt: null } });
      const scene = (await cloud.db().collection('scenes').doc('poster-1').get()).data;
      expect(scene).toMatchObject({ channel: 'mp_qr', campaign: 'cmp-1', mpQr: { ticket: result.data.ticket } });
      const image = await fetch(result.data.imageUrl);
      expect(image.status).toBe(200);
      expect([...new Uint8Array(await image.arrayBuffer()).slice(0, 8)]).toEqual(PNG_SIGNATURE);
      const again = await admin({ action: 'createMpQrCode', scene: 'poster-1' });
      expect(again).toMatchObject({ ok: true, data: { ticket: result.data.ticket, created: false } });
      const temporary = await admin({ action: 'createMpQrCode', scene: 'poster-1', permanent: false, expireSeconds: 3600 });
      expect(temporary).toMatchObject({ ok: true, data: { permanent: false, created: true } });
      expect(temporary.data.expiresAt).not.toBeNull();
      const sent = ((await cloud.client.outbox.list('mp')).entries as any[]).filter((e) => e.api === 'qrcode/create');
      expect(sent.map((e) => e.request.action_name)).toEqual(['QR_LIMIT_STR_SCENE', 'QR_STR_SCENE']);
      expect(sent[0].request.action_info.scene.scene_str).toBe('poster-1');
      expect(await admin({ action: 'createMpQrCode', scene: 'poster-1', article: 'art-2' })).toMatchObject({
        ok: false,
        code: 'ALREADY_EXISTS',
      });
    });

    it("a follow through the poster code is attributed by the gateway to the scene's campaign", async () => {
      await admin({ action: 'createMpQrCode', scene: 'poster-2', campaign: 'cmp-2', page: CAMPAIGN_PAGE, params: { campaign: 'cmp-2' } });
      await cloud.client.mp.push({ persona: 'bob', type: 'subscribe', eventKey: 'poster-2' });
      const [member] = (await cloud.db().collection('members').get()).data;
      expect(member.firstTouch).toMatchObject({ scene: 'poster-2', campaign: 'cmp-2', channel: 'mp_qr' });
    });
  });
});
