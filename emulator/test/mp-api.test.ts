import { describe, expect, it } from 'vitest';
import { useTestCloud } from './support';

describe('the fake 公众号 API', () => {
  const cloud = useTestCloud();
  const api = () => `${cloud.emulator.url}/mp/cgi-bin`;
  const mpOutbox = async () => (await cloud.client.outbox.list('mp')).entries;

  const get = async (path: string) => (await fetch(`${api()}/${path}`)).json() as Promise<any>;
  const post = async (path: string, body: unknown) =>
    (
      await fetch(`${api()}/${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) })
    ).json() as Promise<any>;
  const token = async () => {
    const { appid, secret } = cloud.emulator.ctx.options.mp;
    const res = await get(`token?grant_type=client_credential&appid=${appid}&secret=${secret}`);
    expect(res.expires_in).toBe(7200);
    return res.access_token as string;
  };

  it('issues tokens only for the right appid and secret', async () => {
    const { appid, secret } = cloud.emulator.ctx.options.mp;
    expect(await get(`token?grant_type=client_credential&appid=${appid}&secret=wrong`)).toMatchObject({
      errcode: 40125,
      errmsg: expect.stringMatching(/^invalid appsecret rid: /),
    });
    expect((await get(`token?grant_type=client_credential&appid=wx0000000000000000&secret=${secret}`)).errcode).toBe(40013);
    expect((await get(`token?grant_type=password&appid=${appid}&secret=${secret}`)).errcode).toBe(40002);
    const ok = await get(`token?grant_type=client_credential&appid=${appid}&secret=${secret}`);
    expect(Object.keys(ok).sort()).toEqual(['access_token', 'expires_in']);
    expect(ok.access_token.length).toBeGreaterThan(100);
    // Refused requests issue nothing: the only token is the last one.
    expect((await cloud.client.mp.state()).tokens).toHaveLength(1);
    expect((await mpOutbox()).map((e) => [e.api, (e.response as { errcode?: number }).errcode])).toEqual([
      ['token', 40125],
      ['token', 40013],
      ['token', 40002],
      ['token', undefined],
    ]);
  });

  it('invalidates the previous token after a 5-minute grace and expires tokens after 2 hours', async () => {
    const first = await token();
    const second = await token();
    expect(second).not.toBe(first);
    expect((await get(`user/info?access_token=${first}&openid=o-mp-alice`)).subscribe).toBe(1);
    await cloud.client.clock.advance(5 * 60_000 + 1000);
    expect(await get(`user/info?access_token=${first}&openid=o-mp-alice`)).toMatchObject({
      errcode: 40001,
      errmsg: expect.stringContaining('invalid credential, access_token is invalid or not latest'),
    });
    expect((await get(`user/info?access_token=${second}&openid=o-mp-alice`)).subscribe).toBe(1);
    await cloud.client.clock.advance(7200_000);
    expect((await get(`user/info?access_token=${second}&openid=o-mp-alice`)).errcode).toBe(42001);
    expect((await get('user/info?openid=o-mp-alice')).errcode).toBe(41001);
  });

  it('answers user/info per persona: unionid only when there is one, little for non-followers', async () => {
    const t = await token();
    const alice = await get(`user/info?access_token=${t}&openid=o-mp-alice&lang=zh_CN`);
    expect(alice).toMatchObject({ subscribe: 1, openid: 'o-mp-alice', unionid: 'u-alice', language: 'zh_CN', tagid_list: [] });
    expect(typeof alice.subscribe_time).toBe('number');
    expect(alice.errcode).toBeUndefined();

    expect(await get(`user/info?access_token=${t}&openid=o-mp-bob`)).toEqual({ subscribe: 0, openid: 'o-mp-bob' });

    await cloud.client.personas.upsert({ name: 'carol', follows: true });
    const carol = await get(`user/info?access_token=${t}&openid=o-mp-carol`);
    expect(carol.subscribe).toBe(1);
    expect('unionid' in carol).toBe(false);

    expect((await get(`user/info?access_token=${t}&openid=o-mini-alice`)).errcode).toBe(40003);
  });

  it('validates menus with WeChat codes and stores a good one', async () => {
    const t = await token();
    const appid = cloud.emulator.ctx.options.appid;
    const card = { type: 'miniprogram', name: '开团', url: 'https://duet.example.com/fallback', appid, pagepath: 'pages/index/index' };
    const cases: Array<[unknown, number]> = [
      [{ button: [] }, 40016],
      [{ button: [1, 2, 3, 4].map((i) => ({ type: 'click', name: `b${i}`, key: `K${i}` })) }, 40016],
      [{ button: [{ name: '更多', sub_button: [1, 2, 3, 4, 5, 6].map((i) => ({ type: 'click', name: `s${i}`, key: `K${i}` })) }] }, 40023],
      [{ button: [{ ...card, url: undefined }] }, 40020],
      [{ button: [{ name: '更多', sub_button: [{ ...card, url: undefined }] }] }, 40027],
      [{ button: [{ ...card, appid: undefined }] }, 40166],
      [{ button: [{ ...card, appid: 'wx1111111111111111' }] }, 85005],
      [{ button: [{ ...card, pagepath: '' }] }, 40165],
      [{ button: [{ type: 'click', name: '点我' }] }, 40019],
      [{ button: [{ type: 'click', name: '这是一个非常非常长的菜单名称', key: 'K' }] }, 40018],
      [{ button: [{ type: 'teleport', name: 'x', key: 'K' }] }, 40017],
      [{ button: [{ name: '更多', sub_button: [{ type: 'teleport', name: 'x' }] }] }, 40024],
    ];
    for (const [menu, code] of cases) {
      expect((await post(`menu/create?access_token=${t}`, menu)).errcode, JSON.stringify(menu)).toBe(code);
    }
    expect((await post(`menu/create?access_token=${t}`, '{not json')).errcode).toBe(47001);
    // No refused menu was stored.
    expect((await get(`menu/get?access_token=${t}`)).errcode).toBe(46003);
    expect((await cloud.client.mp.state()).menu).toBeNull();

    const menu = {
      button: [
        card,
        {
          name: '我的',
          sub_button: [
            { type: 'view', name: '订单', url: 'https://duet.example.com/orders' },
            { type: 'click', name: '客服', key: 'CS' },
          ],
        },
      ],
    };
    expect(await post(`menu/create?access_token=${t}`, menu)).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await get(`menu/get?access_token=${t}`)).menu).toEqual(menu);
  });

  it('refuses customer-service messages outside the window and to non-followers; sends templates', async () => {
    const t = await token();
    const text = { msgtype: 'text', text: { content: 'hi' } };
    expect((await post(`message/custom/send?access_token=${t}`, { touser: 'o-mp-alice', ...text })).errcode).toBe(45015);
    expect((await post(`message/custom/send?access_token=${t}`, { touser: 'o-mp-bob', ...text })).errcode).toBe(43004);
    expect((await post(`message/custom/send?access_token=${t}`, { touser: 'o-nobody', ...text })).errcode).toBe(40003);
    // Refused sends are recorded with their refusal, none as sent.
    const refused = (await mpOutbox()).filter((e) => e.api === 'message/custom/send');
    expect(refused.map((e) => (e.response as { errcode: number }).errcode)).toEqual([45015, 43004, 40003]);

    const sent = await post(`message/template/send?access_token=${t}`, {
      touser: 'o-mp-alice',
      template_id: 'TM-GROUP-OK',
      miniprogram: { appid: cloud.emulator.ctx.options.appid, pagepath: 'pages/group/index?id=1' },
      data: { first: { value: '拼团成功' } },
    });
    expect(sent).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(typeof sent.msgid).toBe('number');
    expect((await post(`message/template/send?access_token=${t}`, { touser: 'o-mp-alice', data: {} })).errcode).toBe(40037);

    const templates = (await mpOutbox()).filter((e) => e.api === 'message/template/send') as any[];
    expect(templates.map((e) => e.response.errcode)).toEqual([0, 40037]);
    expect(templates[0].request.template_id).toBe('TM-GROUP-OK');
  });

  it('creates parametric QR codes and serves their image until they expire', async () => {
    const t = await token();
    const temp = await post(`qrcode/create?access_token=${t}`, {
      expire_seconds: 3600,
      action_name: 'QR_STR_SCENE',
      action_info: { scene: { scene_str: 'article:42' } },
    });
    expect(temp).toMatchObject({ expire_seconds: 3600, url: expect.stringMatching(/^http:\/\/weixin\.qq\.com\/q\//) });
    expect(typeof temp.ticket).toBe('string');
    const permanent = await post(`qrcode/create?access_token=${t}`, {
      action_name: 'QR_LIMIT_STR_SCENE',
      action_info: { scene: { scene_str: 'home' } },
    });
    expect(Object.keys(permanent).sort()).toEqual(['ticket', 'url']);
    const short = await post(`qrcode/create?access_token=${t}`, { action_name: 'QR_SCENE', action_info: { scene: { scene_id: 7 } } });
    expect(short.expire_seconds).toBe(60);
    expect((await post(`qrcode/create?access_token=${t}`, { action_name: 'QR_PORTAL' })).errcode).toBe(40052);
    expect((await post(`qrcode/create?access_token=${t}`, { action_name: 'QR_STR_SCENE', action_info: { scene: {} } })).errcode).toBe(
      40053,
    );

    // Refused codes were not made.
    expect((await cloud.client.mp.state()).qrcodes.map((q) => q.actionName)).toEqual(['QR_STR_SCENE', 'QR_LIMIT_STR_SCENE', 'QR_SCENE']);

    const image = await fetch(`${api()}/showqrcode?ticket=${encodeURIComponent(temp.ticket)}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await image.arrayBuffer());
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect((await fetch(`${api()}/showqrcode?ticket=unknown`)).status).toBe(404);

    await cloud.client.clock.advance(3601_000);
    expect((await fetch(`${api()}/showqrcode?ticket=${encodeURIComponent(temp.ticket)}`)).status).toBe(404);
    expect((await fetch(`${api()}/showqrcode?ticket=${encodeURIComponent(permanent.ticket)}`)).status).toBe(200);
  });

  it('takes temporary media uploads', async () => {
    const t = await token();
    const form = new FormData();
    form.append('media', new Blob([Buffer.from([0xff, 0xd8, 0xff, 0xe0])], { type: 'image/jpeg' }), 'thumb.jpg');
    const uploaded = await (await fetch(`${api()}/media/upload?access_token=${t}&type=image`, { method: 'POST', body: form })).json();
    expect(uploaded).toMatchObject({ type: 'image', media_id: expect.any(String), created_at: expect.any(Number) });
    const badType = await (await fetch(`${api()}/media/upload?access_token=${t}&type=sticker`, { method: 'POST', body: form })).json();
    expect(badType.errcode).toBe(40004);
    const uploads = (await mpOutbox()).filter((e) => e.api === 'media/upload');
    expect(uploads.map((e) => (e.response as { errcode?: number }).errcode)).toEqual([undefined, 40004]);
  });

  it('records every call in the outbox, never the secret, and forgets tokens, menu and outbox on reset', async () => {
    const t = await token();
    await get(`user/info?access_token=${t}&openid=o-mp-alice`);
    await post(`menu/create?access_token=${t}`, { button: [{ type: 'click', name: '客服', key: 'CS' }] });
    await get(`menu/get?access_token=${t}`);
    await post(`qrcode/create?access_token=${t}`, { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 1 } } });
    const apis = (await mpOutbox()).map((e) => e.api);
    expect(apis).toEqual(['token', 'user/info', 'menu/create', 'menu/get', 'qrcode/create']);
    const tokenEntry = (await mpOutbox()).find((e) => e.api === 'token');
    expect(JSON.stringify(tokenEntry?.request)).not.toContain(cloud.emulator.ctx.options.mp.secret);

    await cloud.client.reset();
    expect(await mpOutbox()).toEqual([]);
    expect((await get(`menu/get?access_token=${t}`)).errcode).toBe(40001);
    const fresh = await token();
    expect((await get(`menu/get?access_token=${fresh}`)).errcode).toBe(46003);
  });
});
