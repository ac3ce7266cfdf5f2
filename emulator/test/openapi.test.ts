import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrantRequest } from '../src/client';
import { APP_CONFIG, fixtureFunctionsDir, makeOpenapiProject, rejection } from './openapi-support';
import { clientOf, sdkFor, startTestCloud, useTestCloud } from './support';

const H5 = 'http://h5.duet.test:10086';
const ALICE = 'o-mini-alice';

describe('open APIs through the real wx-server-sdk', () => {
  const project = makeOpenapiProject();
  const local = useTestCloud({ projectRoot: project.root, functionsDir: fixtureFunctionsDir, h5Url: H5 });
  let cloud: ReturnType<typeof sdkFor>;
  beforeAll(() => {
    cloud = sdkFor(local.emulator);
  });
  afterAll(() => {
    project.cleanup();
  });

  /** Raw, so that refusals can be checked too. */
  const grant = (openid: string, templateIds: string[], result: unknown = 'accept') =>
    local.client.control('POST', '/_emu/grants', { openid, templateIds, result } as GrantRequest);
  const remaining = async (openid: string) => (await local.client.grants.list(openid)).grants;
  const outbox = async (kind: 'subscribeMessage' | 'wxacode' | 'customerServiceMessage' | 'openapi') =>
    (await local.client.outbox.list(kind)).entries as any[];

  const groupSuccess = (overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) =>
    cloud.openapi.subscribeMessage.send({
      touser: ALICE,
      templateId: 'TPL_GROUP_SUCCESS',
      page: 'pages/coupon/index?from=msg',
      miniprogramState: 'developer',
      data: {
        thing1: { value: '三人拼团·招牌奶茶' },
        amount2: { value: '¥19.90' },
        time3: { value: '2025年5月1日 15:01' },
        thing4: { value: '点击查看订单' },
        ...data,
      },
      ...overrides,
    });

  describe('subscribeMessage.send', () => {
    it('sends with a grant, consumes exactly one, and refuses the next send with 43101', async () => {
      const granted = await grant(ALICE, ['TPL_GROUP_SUCCESS']);
      expect(granted.status).toBe(200);
      expect(granted.body).toEqual({ TPL_GROUP_SUCCESS: 'accept', errMsg: 'requestSubscribeMessage:ok' });
      expect(await remaining(ALICE)).toEqual({ TPL_GROUP_SUCCESS: 1 });

      const sent = await groupSuccess();
      expect(sent).toEqual({ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' });
      expect(await remaining(ALICE)).toEqual({ TPL_GROUP_SUCCESS: 0 });

      const refused = await rejection(groupSuccess());
      expect(refused.errCode).toBe(43101);
      expect(refused.errMsg).toMatch(
        /^openapi\.subscribeMessage\.send:fail user refuse to accept the msg rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/,
      );
    });

    it('adds no grant when the user rejects', async () => {
      const rejected = await grant(ALICE, ['TPL_GROUP_SUCCESS', 'TPL_REFUND'], 'reject');
      expect(rejected.body).toEqual({ TPL_GROUP_SUCCESS: 'reject', TPL_REFUND: 'reject', errMsg: 'requestSubscribeMessage:ok' });
      expect((await rejection(groupSuccess())).errCode).toBe(43101);

      const mixed = await grant(ALICE, ['TPL_GROUP_SUCCESS', 'TPL_REFUND'], { TPL_GROUP_SUCCESS: 'reject', TPL_REFUND: 'accept' });
      expect(mixed.body).toEqual({ TPL_GROUP_SUCCESS: 'reject', TPL_REFUND: 'accept', errMsg: 'requestSubscribeMessage:ok' });
      expect(await remaining(ALICE)).toEqual({ TPL_REFUND: 1 });
    });

    it('refuses grants for unknown templates or more than three at once', async () => {
      const unknown = await grant(ALICE, ['TPL_GROUP_SUCCESS', 'TPL_NOPE']);
      expect(unknown).toEqual({ status: 400, body: { error: { message: 'unknown template ids: TPL_NOPE', unknown: ['TPL_NOPE'] } } });
      const tooMany = await grant(ALICE, ['TPL_GROUP_SUCCESS', 'TPL_REFUND', 'TPL_ALL_TYPES', 'TPL_GROUP_SUCCESS']);
      expect(tooMany).toEqual({
        status: 400,
        body: { error: { message: 'requestSubscribeMessage accepts at most 3 template ids per call (got 4)' } },
      });
      const maybe = await grant(ALICE, ['TPL_REFUND'], 'maybe');
      expect(maybe.status).toBe(400);
      expect(maybe.body.error.message).toContain('"result" must be "accept" or "reject"');
      // Nothing was granted by any of them, and the user is not even known.
      expect(await local.client.grants.list()).toEqual({ grants: {} });
    });

    it('answers 40037 for an unknown template and 40003 for an unknown openid', async () => {
      await grant(ALICE, ['TPL_GROUP_SUCCESS']);
      const badTemplate = await rejection(groupSuccess({ templateId: 'TPL_NOPE' }));
      expect(badTemplate.errCode).toBe(40037);
      expect(badTemplate.errMsg).toContain('invalid template_id');
      const badUser = await rejection(groupSuccess({ touser: 'o-mini-nobody' }));
      expect(badUser.errCode).toBe(40003);
      // The 公众号 openid of a persona is not a mini-program openid.
      expect((await rejection(groupSuccess({ touser: 'o-mp-alice' }))).errCode).toBe(40003);
      // An openid known only from a grant request is a real user.
      await grant('o-mini-stranger', ['TPL_GROUP_SUCCESS']);
      expect(await groupSuccess({ touser: 'o-mini-stranger' })).toMatchObject({ errCode: 0 });
      expect(await remaining(ALICE)).toEqual({ TPL_GROUP_SUCCESS: 1 });
    });

    it('answers 47003 naming the keyword for values over the type limits, and spends no grant', async () => {
      await grant(ALICE, ['TPL_GROUP_SUCCESS']);
      await grant(ALICE, ['TPL_REFUND']);
      const longThing = await rejection(groupSuccess({}, { thing1: { value: '一二三四五六七八九十一二三四五六七八九十一' } }));
      expect(longThing.errCode).toBe(47003);
      expect(longThing.errMsg).toContain('data.thing1.value invalid');
      const badAmount = await rejection(groupSuccess({}, { amount2: { value: '19.90 dollars' } }));
      expect(badAmount.errCode).toBe(47003);
      expect(badAmount.errMsg).toContain('data.amount2.value');
      const tooManyDigits = await rejection(groupSuccess({}, { amount2: { value: '¥12345678901' } }));
      expect(tooManyDigits.errMsg).toContain('data.amount2.value');
      const badTime = await rejection(groupSuccess({}, { time3: { value: 'tomorrow' } }));
      expect(badTime.errMsg).toContain('data.time3.value');
      const missing = await rejection(groupSuccess({}, { thing4: undefined }));
      expect(missing.errCode).toBe(47003);
      expect(missing.errMsg).toContain('data.thing4.value is empty');

      const refund = (phrase: string) =>
        cloud.openapi.subscribeMessage.send({
          touser: ALICE,
          templateId: 'TPL_REFUND',
          data: { character_string1: { value: 'DUET-20250501-0001' }, amount2: { value: '19.9元' }, phrase3: { value: phrase } },
        });
      const longPhrase = await rejection(refund('退款已经到账'));
      expect(longPhrase.errCode).toBe(47003);
      expect(longPhrase.errMsg).toContain('data.phrase3.value invalid');
      expect((await rejection(refund('done'))).errMsg).toContain('data.phrase3.value');

      expect(await remaining(ALICE)).toEqual({ TPL_GROUP_SUCCESS: 1, TPL_REFUND: 1 });
      expect(await refund('退款成功')).toMatchObject({ errCode: 0 });
      expect(
        await groupSuccess({}, { thing1: { value: '一二三四五六七八九十一二三四五六七八九十' }, amount2: { value: '20' } }),
      ).toMatchObject({ errCode: 0 });
    });

    it('accepts a value of every keyword type at its limit and refuses one past it', async () => {
      const good: Record<string, string> = {
        thing1: 'x'.repeat(20),
        number2: `${'1'.repeat(30)}.5`,
        letter3: 'a'.repeat(32),
        symbol4: '*#-+!',
        character_string5: 'A1-_'.repeat(8),
        phone_number6: '+86-0766-66888866',
        car_number7: '粤A8Z888挂',
        name8: '欧阳娜娜',
        phrase9: '配送中',
        amount10: '￥1234567890.99',
        date11: '2019年10月1日 15:01',
        time12: '15:01~16:30',
      };
      const bad: Record<string, string> = {
        thing1: 'x'.repeat(21),
        number2: '12a',
        letter3: 'abc1',
        symbol4: '******',
        character_string5: '中文订单号',
        phone_number6: '1'.repeat(18),
        car_number7: '粤A8中888挂',
        name8: '一二三四五六七八九十一',
        phrase9: '配送中ab',
        amount10: '12元整',
        date11: '15:01',
        time12: '25:01',
      };
      const send = (values: Record<string, string>) =>
        cloud.openapi.subscribeMessage.send({
          touser: ALICE,
          templateId: 'TPL_ALL_TYPES',
          data: Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value }])),
        });
      for (const keyword of Object.keys(bad)) {
        const error = await rejection(send({ ...good, [keyword]: bad[keyword] as string }));
        expect([keyword, error.errCode, error.errMsg.includes(`data.${keyword}.value invalid`)]).toEqual([keyword, 47003, true]);
      }
      await grant(ALICE, ['TPL_ALL_TYPES']);
      expect(await send(good)).toMatchObject({ errCode: 0 });
      // Alternative date forms WeChat accepts.
      await grant(ALICE, ['TPL_ALL_TYPES']);
      expect(await send({ ...good, date11: '2019-10-01', time12: '2019年10月1日 15:01', name8: 'Anna Smith' })).toMatchObject({
        errCode: 0,
      });
    });

    it('checks page and miniprogram_state', async () => {
      await grant(ALICE, ['TPL_GROUP_SUCCESS']);
      const unknownPage = await rejection(groupSuccess({ page: 'pages/nope/index' }));
      expect(unknownPage.errCode).toBe(41030);
      expect(unknownPage.errMsg).toContain('invalid page');
      expect((await rejection(groupSuccess({ page: '/pages/coupon/index' }))).errCode).toBe(41030);
      expect((await rejection(groupSuccess({ miniprogramState: 'production' }))).errCode).toBe(47003);
      expect(await groupSuccess({ page: 'packages/groupbuy/invite/index?g=1' })).toMatchObject({ errCode: 0 });
    });

    it('gives exactly as many successes as grants to concurrent sends', async () => {
      for (let i = 0; i < 3; i += 1) await grant(ALICE, ['TPL_GROUP_SUCCESS']);
      expect(await remaining(ALICE)).toEqual({ TPL_GROUP_SUCCESS: 3 });
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => groupSuccess()));
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected' && (r.reason as { errCode: number }).errCode === 43101);
      expect([ok.length, refused.length]).toEqual([3, 7]);
      expect(await remaining(ALICE)).toEqual({ TPL_GROUP_SUCCESS: 0 });
    });

    it('records every attempt in the outbox, sent or refused', async () => {
      await grant(ALICE, ['TPL_GROUP_SUCCESS']);
      await groupSuccess();
      await rejection(groupSuccess());
      const entries = await outbox('subscribeMessage');
      expect(entries).toHaveLength(2);
      const [sent, refused] = entries;
      expect(sent).toMatchObject({
        kind: 'subscribeMessage',
        api: 'subscribeMessage.send',
        request: { touser: ALICE, template_id: 'TPL_GROUP_SUCCESS', page: 'pages/coupon/index?from=msg', miniprogram_state: 'developer' },
        response: { errcode: 0, errmsg: 'ok' },
      });
      expect(sent.request.data.thing1).toEqual({ value: '三人拼团·招牌奶茶' });
      expect(refused.response.errcode).toBe(43101);
    });

    it('forgets grants on reset', async () => {
      await grant(ALICE, ['TPL_GROUP_SUCCESS']);
      await local.client.reset();
      expect(await remaining(ALICE)).toEqual({});
      expect(await local.client.grants.list()).toEqual({ grants: {} });
    });
  });

  describe('subscribeMessage.getTemplateList', () => {
    it("lists the account's templates as WeChat does: the registry's ids, titles and each keyword in content", async () => {
      const answer = (await cloud.openapi.subscribeMessage.getTemplateList({})) as { errCode: number; data: any[] };
      expect(answer.errCode).toBe(0);
      const refund = answer.data.find((t) => t.priTmplId === 'TPL_REFUND');
      expect(refund).toEqual({
        priTmplId: 'TPL_REFUND',
        title: '退款通知',
        content: 'character_string1:{{character_string1.DATA}}\namount2:{{amount2.DATA}}\nphrase3:{{phrase3.DATA}}',
        example: '',
        type: 2,
      });
      expect(answer.data.map((t) => t.priTmplId)).toEqual(['TPL_GROUP_SUCCESS', 'TPL_REFUND', 'TPL_ALL_TYPES']);
    });
  });

  describe('wxacode.getUnlimited', () => {
    const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    it('returns a PNG of the H5 page with the scene, and records the URL', async () => {
      const result = await cloud.openapi.wxacode.getUnlimited({
        scene: 'a=1&c=spring',
        page: 'pages/coupon/index',
        width: 300,
        checkPath: true,
        envVersion: 'release',
      });
      expect(result.errCode).toBe(0);
      expect(result.errMsg).toBe('openapi.wxacode.getUnlimited:ok');
      expect(result.contentType).toBe('image/png');
      expect(Buffer.isBuffer(result.buffer)).toBe(true);
      expect(result.buffer.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      const entries = await outbox('wxacode');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        api: 'wxacode.getUnlimited',
        request: { scene: 'a=1&c=spring', page: 'pages/coupon/index', width: 300, check_path: true, env_version: 'release' },
        response: { contentType: 'image/png', url: `${H5}/#/pages/coupon/index?scene=a%3D1%26c%3Dspring`, bytes: result.buffer.length },
      });
    });

    it('opens the home page without a page, and subpackage pages by their full path', async () => {
      await cloud.openapi.wxacode.getUnlimited({ scene: 'home' });
      await cloud.openapi.wxacode.getUnlimited({ scene: 'g=42', page: 'packages/groupbuy/invite/index' });
      expect((await outbox('wxacode')).map((e: { response: { url: string } }) => e.response.url)).toEqual([
        `${H5}/#/pages/index/index?scene=home`,
        `${H5}/#/packages/groupbuy/invite/index?scene=g%3D42`,
      ]);
    });

    it('answers 40169 for a scene over 32 characters or with characters WeChat refuses', async () => {
      for (const scene of ['x'.repeat(33), 'a%20b', '文章7', '', 'a b']) {
        const error = await rejection(cloud.openapi.wxacode.getUnlimited({ scene, page: 'pages/index/index' }));
        expect([scene, error.errCode]).toEqual([scene, 40169]);
        expect(error.errMsg).toContain('invalid length for scene, or the data is not json string');
      }
      expect(await cloud.openapi.wxacode.getUnlimited({ scene: "!#$&'()*+,/:;=?@-._~0123456789Ab" })).toMatchObject({ errCode: 0 });
    });

    it('answers 41030 for an unknown page or a leading slash, unless check_path is false', async () => {
      const unknown = await rejection(cloud.openapi.wxacode.getUnlimited({ scene: 's', page: 'pages/nope/index' }));
      expect(unknown.errCode).toBe(41030);
      expect(unknown.errMsg).toContain('invalid page');
      expect((await rejection(cloud.openapi.wxacode.getUnlimited({ scene: 's', page: '/pages/index/index' }))).errCode).toBe(41030);
      expect((await rejection(cloud.openapi.wxacode.getUnlimited({ scene: 's', page: 'pages/index/index?x=1' }))).errCode).toBe(41030);
      expect(
        await cloud.openapi.wxacode.getUnlimited({ scene: 's', page: 'pages/new/index', checkPath: false, envVersion: 'develop' }),
      ).toMatchObject({ errCode: 0 });
    });

    it('follows the app config when it changes', async () => {
      const file = path.join(project.root, 'src/app.config.ts');
      try {
        writeFileSync(file, APP_CONFIG.replace("'pages/coupon/index'", "'pages/coupon/index', 'pages/mall/index'"));
        expect(await cloud.openapi.wxacode.getUnlimited({ scene: 'm', page: 'pages/mall/index' })).toMatchObject({ errCode: 0 });
      } finally {
        writeFileSync(file, APP_CONFIG);
      }
    });
  });

  describe('customerServiceMessage', () => {
    it('sends text, uploads a thumbnail and sends a mini-program card with it', async () => {
      expect(await cloud.openapi.customerServiceMessage.send({ touser: ALICE, msgtype: 'text', text: { content: '你好' } })).toEqual({
        errCode: 0,
        errMsg: 'openapi.customerServiceMessage.send:ok',
      });
      const upload = await cloud.openapi.customerServiceMessage.uploadTempMedia({
        type: 'image',
        media: { contentType: 'image/png', value: Buffer.from('89504e470d0a1a0a', 'hex') },
      });
      expect(upload).toMatchObject({ errCode: 0, type: 'image', errMsg: 'openapi.customerServiceMessage.uploadTempMedia:ok' });
      expect(typeof upload.mediaId).toBe('string');
      expect(typeof upload.createdAt).toBe('number');

      const card = { title: '拼团还差 1 人', pagepath: 'packages/groupbuy/invite/index?g=1', thumbMediaId: upload.mediaId };
      expect(
        await cloud.openapi.customerServiceMessage.send({ touser: ALICE, msgtype: 'miniprogrampage', miniprogrampage: card }),
      ).toMatchObject({ errCode: 0 });
      const entries = await outbox('customerServiceMessage');
      expect(entries.map((e: { api: string }) => e.api)).toEqual([
        'customerServiceMessage.send',
        'customerServiceMessage.uploadTempMedia',
        'customerServiceMessage.send',
      ]);
      expect(entries[2].request.miniprogrampage).toEqual({
        title: '拼团还差 1 人',
        pagepath: 'packages/groupbuy/invite/index?g=1',
        thumb_media_id: upload.mediaId,
      });
    });

    it('validates the fields each message type needs', async () => {
      const send = (message: Record<string, unknown>) =>
        rejection(cloud.openapi.customerServiceMessage.send({ touser: ALICE, ...message }));
      const noThumb = await send({ msgtype: 'miniprogrampage', miniprogrampage: { title: 't', pagepath: 'pages/index/index' } });
      expect(noThumb.errCode).toBe(47001);
      expect(noThumb.errMsg).toContain('miniprogrampage.thumb_media_id');
      const unknownThumb = await send({
        msgtype: 'miniprogrampage',
        miniprogrampage: { title: 't', pagepath: 'pages/index/index', thumbMediaId: 'nope' },
      });
      expect(unknownThumb.errCode).toBe(40007);
      expect((await send({ msgtype: 'text', text: {} })).errCode).toBe(44004);
      expect((await send({ msgtype: 'image', image: { mediaId: 'nope' } })).errCode).toBe(40007);
      expect((await send({ msgtype: 'link', link: { title: 't', url: 'https://example.com' } })).errCode).toBe(47001);
      expect((await send({ msgtype: 'video' })).errCode).toBe(40008);
      expect(
        (await rejection(cloud.openapi.customerServiceMessage.send({ touser: 'o-mini-nobody', msgtype: 'text', text: { content: 'x' } })))
          .errCode,
      ).toBe(40003);
    });
  });

  describe('other open APIs and faults', () => {
    it('answers any other openapi ok and records it', async () => {
      const result = await cloud.openapi.security.msgSecCheck({ content: 'hello' });
      expect(result).toEqual({ errCode: 0, errMsg: 'openapi.security.msgSecCheck:ok' });
      expect(await outbox('openapi')).toMatchObject([
        { api: 'security.msgSecCheck', request: { content: 'hello' }, response: { errcode: 0 } },
      ]);
      const { counts } = await local.client.stats();
      expect(counts['openapi.security.msgSecCheck']).toBe(1);
    });

    it('returns an injected WeChat error once, without spending a grant', async () => {
      await grant(ALICE, ['TPL_GROUP_SUCCESS']);
      await local.client.faults.add('subscribeMessage.send', { errCode: 45009, errMsg: 'reach max api daily quota limit' });
      const error = await rejection(groupSuccess());
      expect(error.errCode).toBe(45009);
      expect(error.errMsg).toBe('openapi.subscribeMessage.send:fail reach max api daily quota limit');
      expect(await remaining(ALICE)).toEqual({ TPL_GROUP_SUCCESS: 1 });
      expect(await groupSuccess()).toMatchObject({ errCode: 0 });
      expect((await outbox('subscribeMessage')).map((e) => e.response.errcode)).toEqual([45009, 0]);
      expect((await outbox('subscribeMessage'))[0].response).toMatchObject({ errcode: 45009, fault: true });
      expect((await local.client.faults.list()).faults).toEqual([]);
    });

    it('returns an injected gateway error (negative code) as the SDK reports it', async () => {
      await local.client.faults.add('wxacode.getUnlimited', { errCode: -601001, errMsg: 'system error' });
      const error = await rejection(cloud.openapi.wxacode.getUnlimited({ scene: 's' }));
      expect(error.errCode).toBe(-601001);
      expect(error.errMsg).toBe('system error: error code: -601001');
    });

    it('hangs on an injected timeout until the caller gives up, then serves the next call', async () => {
      await grant(ALICE, ['TPL_GROUP_SUCCESS']);
      await local.client.faults.add('subscribeMessage.send', 'timeout');
      const impatient = (cloud as any).createNewInstance({ env: local.emulator.ctx.options.envId, timeout: 500 });
      const error = await rejection(
        impatient.openapi.subscribeMessage.send({
          touser: ALICE,
          templateId: 'TPL_GROUP_SUCCESS',
          data: { thing1: { value: 'a' }, amount2: { value: '1' }, time3: { value: '15:01' }, thing4: { value: 'b' } },
        }),
      );
      expect(String(error.errMsg)).toMatch(/timeout/i);
      expect(await remaining(ALICE)).toEqual({ TPL_GROUP_SUCCESS: 1 });
      expect(await groupSuccess()).toMatchObject({ errCode: 0 });
    });
  });
});

describe('grant ledger durability', () => {
  it('keeps grants across a restart of a durable local cloud', async () => {
    const project = makeOpenapiProject();
    const options = {
      projectRoot: project.root,
      functionsDir: fixtureFunctionsDir,
      ephemeral: false,
      dataDir: path.join(project.root, '.emulator'),
    };
    try {
      const first = await startTestCloud(options);
      try {
        await clientOf(first).grants.add({ openid: ALICE, templateIds: ['TPL_REFUND', 'TPL_GROUP_SUCCESS'], result: 'accept' });
      } finally {
        await first.stop();
      }
      const second = await startTestCloud(options);
      try {
        expect((await clientOf(second).grants.list(ALICE)).grants).toEqual({ TPL_REFUND: 1, TPL_GROUP_SUCCESS: 1 });
      } finally {
        await second.stop();
      }
    } finally {
      project.cleanup();
    }
  });
});
