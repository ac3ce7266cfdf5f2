import { describe, expect, it } from 'vitest';
import { buildPushXml, ghIdFor, randomNonce, signatureOf } from '../../emulator/src/mp/push';
import type { PushRequest } from '../../emulator/src/client';
import { useCloud } from '../support/cloud';

/**
 * The 公众号 gateway through the local cloud: WeChat's side is played by `POST /_emu/mp/push`
 * (signed XML to the HTTP-triggered function) or, for requests WeChat would never send, by a
 * signed request straight to the function's HTTP access path.
 */
describe('mpGateway: 公众号 server check and pushes', () => {
  const cloud = useCloud();

  const push = (body: PushRequest) => cloud.client.mp.push(body) as Promise<any>;
  const outbox = async (api?: string) => {
    const { entries } = await cloud.client.outbox.list('mp');
    return (api ? entries.filter((e) => e.api === api) : entries) as any[];
  };
  /** The emulator clock in seconds: what the gateway's own clock reads. */
  const nowS = async () => Math.floor(Date.parse((await cloud.client.clock.get()).now) / 1000);
  /** Why the gateway refused requests, from its structured log lines, oldest first. */
  const refusals = async () =>
    (await cloud.client.functions.logs('mpGateway')).logs
      .flatMap((log) => log.lines)
      .filter((line) => line.text.includes('"mp.refused"'))
      .map((line) => JSON.parse(line.text).reason as string);
  const all = async (collection: string, where: Record<string, unknown> = {}) =>
    (await cloud.db().collection(collection).where(where).limit(1000).get()).data as any[];
  const count = async (collection: string, where: Record<string, unknown> = {}) => (await all(collection, where)).length;
  const liveMembers = async () => (await all('members')).filter((m) => !m.mergedInto);
  const memberOfIdentity = async (key: string) => {
    const [identity] = await all('identities', { _id: key });
    let id = identity?.memberId;
    for (let i = 0; id && i < 8; i += 1) {
      const [member] = await all('members', { _id: id });
      if (!member?.mergedInto) return member;
      id = member.mergedInto;
    }
    return undefined;
  };

  /** A request signed with the 公众号 token, sent to the function's HTTP access path. */
  async function signedPost(body: string, options: { timestamp?: number } = {}) {
    const { token } = cloud.emulator.ctx.options.mp;
    const timestamp = String(options.timestamp ?? (await nowS()));
    const nonce = randomNonce();
    const query = new URLSearchParams({ signature: signatureOf(token, timestamp, nonce), timestamp, nonce });
    const response = await fetch(`${cloud.url}/_emu/http/mpGateway?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
    });
    return { status: response.status, body: await response.text() };
  }
  const mpAppid = () => cloud.emulator.ctx.options.mp.appid;
  const miniAppid = () => cloud.emulator.ctx.options.appid;

  async function seedScene(key: string, fields: Record<string, unknown>) {
    await cloud
      .db()
      .collection('scenes')
      .add({ data: { _id: key, createdAt: new Date(), ...fields } });
  }
  async function seedRule(rule: Record<string, unknown>) {
    await cloud
      .db()
      .collection('keyword_replies')
      .add({ data: { priority: 0, match: 'exact', ...rule } });
  }

  it('echoes echostr only for a good signature', async () => {
    const good = await cloud.client.mp.verify({ echostr: '123456789' });
    expect(good.response).toMatchObject({ statusCode: 200, body: '123456789' });
    expect(good.echoed).toBe(true);
    for (const tamper of ['signature', 'stale'] as const) {
      const bad = await cloud.client.mp.verify({ echostr: '123456789', tamper });
      expect(bad.response).toMatchObject({ statusCode: 401, body: 'invalid signature' });
      expect(bad.echoed).toBe(false);
    }
    expect(await refusals()).toEqual(['signature does not match', expect.stringMatching(/^timestamp is 60\d s old/)]);
  });

  it('refuses pushes with a bad, missing or stale signature and changes nothing', async () => {
    for (const tamper of ['signature', 'stale'] as const) {
      const refused = await push({ persona: 'alice', type: 'CLICK', eventKey: 'MENU_HELLO', tamper });
      expect(refused.response).toMatchObject({ statusCode: 401, body: 'invalid signature' });
    }
    const xml = buildPushXml({ toUserName: ghIdFor(mpAppid()), fromUserName: 'o-mp-alice', createTime: 1, type: 'CLICK', eventKey: 'K' });
    const missing = await fetch(`${cloud.url}/_emu/http/mpGateway`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
    expect(missing.status).toBe(401);
    expect(await missing.text()).toBe('invalid signature');
    expect(await signedPost(xml, { timestamp: (await nowS()) + 3600 })).toEqual({ status: 401, body: 'invalid signature' });
    expect(await refusals()).toEqual([
      'signature does not match',
      expect.stringMatching(/^timestamp is 60\d s old/),
      'query lacks signature',
      expect.stringMatching(/^timestamp is 3\d{3} s in the future/),
    ]);
    expect(await count('members')).toBe(0);
    expect(await count('events')).toBe(0);
    expect(await count('mp_pushes_seen')).toBe(0);
    expect(await outbox()).toHaveLength(0);
  });

  it('refuses a DOCTYPE/ENTITY body and a 100 KB body', async () => {
    const evil =
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>' +
      '<xml><ToUserName>gh</ToUserName><FromUserName>o-mp-alice</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>' +
      '<Content>&lol2;</Content><MsgId>1</MsgId></xml>';
    expect(await signedPost(evil)).toEqual({ status: 400, body: 'bad request' });
    const big = `<xml><ToUserName>gh</ToUserName><FromUserName>o-mp-alice</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>${'x'.repeat(100 * 1024)}</Content><MsgId>2</MsgId></xml>`;
    expect(await signedPost(big)).toEqual({ status: 413, body: 'body too large' });
    expect(await signedPost('<xml><ToUserName>gh</oops>')).toEqual({ status: 400, body: 'bad request' });
    expect(await refusals()).toEqual([
      'body declares a DOCTYPE or ENTITY',
      expect.stringMatching(/^body of \d+ bytes$/),
      'body is not well-formed XML',
    ]);
    expect(await count('mp_pushes_seen')).toBe(0);
    expect(await count('members')).toBe(0);
    expect(await count('events')).toBe(0);
    expect(await outbox()).toHaveLength(0);
  });

  it('processes a push retried by WeChat once: same MsgId, same FromUserName + CreateTime', async () => {
    await seedRule({
      _id: 'r1',
      keyword: '会员',
      reply: { type: 'miniprogrampage', title: '会员中心', pagepath: 'pages/member/index', thumbMediaId: 'thumb-1' },
    });
    const text = await push({ persona: 'alice', type: 'text', content: '会员', msgId: '24000000000000000001', deliveries: 4 });
    expect(text.deliveries.map((d: any) => d.response.body)).toEqual(['success', 'success', 'success', 'success']);
    // Four deliveries, four runs of the gateway, one card sent: the retries were recognised, not redone.
    const runs = (await cloud.client.functions.logs('mpGateway')).logs;
    expect(runs.map((l) => l.status)).toEqual(['success', 'success', 'success', 'success']);
    expect((await outbox('message/custom/send')).filter((e) => e.response.errcode === 0)).toHaveLength(1);
    expect(await count('mp_pushes_seen')).toBe(1);

    const createTime = (await nowS()) - 5;
    await push({ persona: 'alice', type: 'CLICK', eventKey: 'MENU_HELLO', createTime, deliveries: 3 });
    await push({ persona: 'alice', type: 'CLICK', eventKey: 'MENU_HELLO', createTime });
    expect(await count('events', { kind: 'mp_click' })).toBe(1);
    await push({ persona: 'alice', type: 'CLICK', eventKey: 'MENU_HELLO', createTime: createTime + 1 });
    expect(await count('events', { kind: 'mp_click' })).toBe(2);
  });

  it('a push another delivery is still working on is answered success; a failed one is taken over', async () => {
    const createTime = (await nowS()) - 3;
    const key = (t: number) => `evt:o-mp-alice:${t}:click`;
    await cloud
      .db()
      .collection('mp_pushes_seen')
      .add({
        data: {
          _id: key(createTime),
          state: 'processing',
          claimedAt: new Date(),
          attempts: 1,
          lease: { holder: 'other', until: new Date(Date.now() + 20_000) },
        },
      });
    const busy = await push({ persona: 'alice', type: 'CLICK', eventKey: 'MENU_HELLO', createTime });
    expect(busy.response.body).toBe('success');
    expect(await count('events', { kind: 'mp_click' })).toBe(0);

    await cloud
      .db()
      .collection('mp_pushes_seen')
      .add({ data: { _id: key(createTime + 1), state: 'failed', claimedAt: new Date(), attempts: 1 } });
    await push({ persona: 'alice', type: 'CLICK', eventKey: 'MENU_HELLO', createTime: createTime + 1 });
    expect(await count('events', { kind: 'mp_click' })).toBe(1);
    const [seen] = await all('mp_pushes_seen', { _id: key(createTime + 1) });
    expect(seen).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('subscribe strips qrscene_ and attributes the scene; SCAN uses the raw key', async () => {
    await seedScene('a1', {
      article: 'art-1',
      campaign: 'camp-1',
      channel: 'mp_qr',
      page: 'packages/member/profile/index',
      params: { from: 'qr' },
    });
    await seedScene('qrscene_b2', { article: 'art-2', channel: 'mp_qr', page: 'pages/member/index' });
    const followed = await push({ persona: 'bob', type: 'subscribe', eventKey: 'a1' });
    expect(followed.xml).toContain('qrscene_a1');
    expect(followed.response).toMatchObject({ statusCode: 200, body: 'success' });

    const bob = await memberOfIdentity(`${mpAppid()}:o-mp-bob`);
    expect(bob).toMatchObject({ followsMp: true, mpOpenid: 'o-mp-bob', unionid: 'u-bob' });
    expect(bob.firstTouch).toMatchObject({ scene: 'a1', article: 'art-1', campaign: 'camp-1' });
    const [follow] = await all('events', { kind: 'follow' });
    expect(follow).toMatchObject({ memberId: bob._id, scene: 'a1', touch: { scene: 'a1', article: 'art-1' } });
    const [card] = (await outbox('message/custom/send')).filter((e) => e.request.touser === 'o-mp-bob');
    expect(card.response.errcode).toBe(0);
    expect(card.request).toMatchObject({
      msgtype: 'miniprogrampage',
      miniprogrampage: { appid: miniAppid(), pagepath: 'packages/member/profile/index?from=qr' },
    });
    expect(card.request.miniprogrampage.thumb_media_id).toBeTruthy();

    // Distinct CreateTimes: two events of one user in the same second are one push to WeChat's dedupe rule.
    const t = await nowS();
    await push({ persona: 'bob', type: 'SCAN', eventKey: 'a1', createTime: t + 1 });
    // A SCAN key that happens to start with qrscene_ is the scene itself, not stripped.
    await push({ persona: 'bob', type: 'SCAN', eventKey: 'qrscene_b2', createTime: t + 2 });
    const scans = await all('events', { kind: 'scan' });
    expect(scans.map((e) => [e.scene, e.touch.article])).toEqual([
      ['a1', 'art-1'],
      ['qrscene_b2', 'art-2'],
    ]);
    const after = await memberOfIdentity(`${mpAppid()}:o-mp-bob`);
    expect(after.firstTouch.scene).toBe('a1');
    expect(after.lastTouch.scene).toBe('qrscene_b2');

    // An unknown value is kept with channel mp_qr.
    await push({ persona: 'bob', type: 'SCAN', eventKey: 'nobody-knows', createTime: t + 3 });
    const [unknown] = await all('events', { kind: 'scan', scene: 'nobody-knows' });
    expect(unknown.touch.channel).toBe('mp_qr');
  });

  it('binds a follow to the member the mini-program login made (unionid); unsubscribe keeps it', async () => {
    const login = await cloud.invoke('member', { action: 'login' }, 'alice');
    expect(login.ok).toBe(true);
    // Distinct seconds: WeChat's dedupe treats one user's same-type events in one second as one push.
    const t = await nowS();
    await push({ persona: 'alice', type: 'unsubscribe', createTime: t - 2 });
    await push({ persona: 'alice', type: 'subscribe', createTime: t - 1 });
    const members = await liveMembers();
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({ _id: login.data._id, followsMp: true, mpOpenid: 'o-mp-alice' });
    expect((await memberOfIdentity(`${miniAppid()}:o-mini-alice`))._id).toBe(login.data._id);
    expect((await memberOfIdentity(`${mpAppid()}:o-mp-alice`))._id).toBe(login.data._id);

    await push({ persona: 'alice', type: 'unsubscribe', createTime: t });
    const [after] = await liveMembers();
    expect(after).toMatchObject({ _id: login.data._id, followsMp: false });
    expect(after.unfollowedAt).toBeTruthy();
    expect(await count('identities')).toBe(3);
  });

  it('a login racing a follow: 10 logins and 10 subscribe pushes at once make one member', async () => {
    await cloud.client.personas.upsert({ name: 'dave', unionid: 'u-dave', follows: true });
    const start = await nowS();
    const subscribe = (i: number) =>
      signedPost(
        buildPushXml({
          toUserName: ghIdFor(mpAppid()),
          fromUserName: 'o-mp-dave',
          createTime: start - 20 + i,
          type: 'subscribe',
          eventKey: '',
        }),
      );
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => cloud.invoke('member', { action: 'login' }, { openid: 'o-mini-dave', unionid: 'u-dave' })),
      ...Array.from({ length: 10 }, (_, i) => subscribe(i)),
    ]);
    for (const r of results.slice(0, 10)) expect(r.ok).toBe(true);
    for (const r of results.slice(10)) expect(r).toMatchObject({ status: 200, body: 'success' });
    // A push over the 4 s answer budget (a loaded machine) is answered before its work ends: wait for the claims.
    for (let i = 0; i < 100 && (await all('mp_pushes_seen')).some((d) => d.state !== 'done'); i += 1)
      await new Promise((r) => setTimeout(r, 100));
    expect((await all('mp_pushes_seen')).map((d) => d.state)).toEqual(Array(10).fill('done'));
    const members = await liveMembers();
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({ unionid: 'u-dave', followsMp: true, mpOpenid: 'o-mp-dave' });
    expect((await memberOfIdentity(`${miniAppid()}:o-mini-dave`))._id).toBe(members[0]._id);
    expect((await memberOfIdentity(`${mpAppid()}:o-mp-dave`))._id).toBe(members[0]._id);
    expect((await memberOfIdentity('unionid:u-dave'))._id).toBe(members[0]._id);
  });

  it('a follower without unionid (carol) gets a member of her own', async () => {
    const login = await cloud.invoke('member', { action: 'login' }, 'carol');
    await push({ persona: 'carol', type: 'subscribe' });
    const follower = await memberOfIdentity(`${mpAppid()}:o-mp-carol`);
    expect(follower).toMatchObject({ followsMp: true, mpOpenid: 'o-mp-carol' });
    expect(follower.unionid).toBeUndefined();
    expect(follower._id).not.toBe(login.data._id);
    expect(await liveMembers()).toHaveLength(2);
  });

  it('keyword text: a card by customer-service message, a text as passive reply, nothing otherwise', async () => {
    await seedRule({
      _id: 'card',
      keyword: '领券',
      match: 'contains',
      reply: { type: 'miniprogrampage', title: '领取优惠券', pagepath: 'pages/index/index' },
    });
    await seedRule({ _id: 'hi', keyword: '你好', reply: { type: 'text', content: '你好，欢迎来到 Duet！' } });
    const card = await push({ persona: 'alice', type: 'text', content: '我要领券' });
    expect(card.response.body).toBe('success');
    const [sent] = await outbox('message/custom/send');
    expect(sent.request).toMatchObject({
      touser: 'o-mp-alice',
      msgtype: 'miniprogrampage',
      miniprogrampage: { title: '领取优惠券', appid: miniAppid() },
    });
    expect(sent.response.errcode).toBe(0);

    const hello = await push({ persona: 'alice', type: 'text', content: '你好' });
    expect(hello.reply).toMatchObject({ ToUserName: 'o-mp-alice', MsgType: 'text', Content: '你好，欢迎来到 Duet！' });
    const none = await push({ persona: 'alice', type: 'text', content: '随便说说' });
    expect(none.response.body).toBe('success');
    expect(await outbox('message/custom/send')).toHaveLength(1);

    // A menu key with a rule answers the same way.
    await seedRule({ _id: 'menu', keyword: 'MENU_HELLO', reply: { type: 'text', content: '菜单你好' } });
    const click = await push({ persona: 'alice', type: 'CLICK', eventKey: 'MENU_HELLO' });
    expect(click.reply).toMatchObject({ Content: '菜单你好' });
  });

  it('fetches the access token once for many pushes and refreshes once on 40001', async () => {
    await seedRule({
      _id: 'card',
      keyword: '领券',
      match: 'contains',
      reply: { type: 'miniprogrampage', title: '领取优惠券', pagepath: 'pages/index/index', thumbMediaId: 't' },
    });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => push({ persona: 'alice', type: 'text', content: `领券${i}` })));
    expect(answers.every((a) => a.response.body === 'success')).toBe(true);
    expect(await outbox('token')).toHaveLength(1);
    expect((await outbox('message/custom/send')).filter((e) => e.response.errcode === 0)).toHaveLength(8);

    // The stored token stops working (another system fetched one, or it was revoked).
    await cloud
      .db()
      .collection('mp_tokens')
      .doc(mpAppid())
      .update({ data: { token: 'revoked-token' } });
    await push({ persona: 'alice', type: 'text', content: '领券!' });
    expect(await outbox('token')).toHaveLength(2);
    const sends = await outbox('message/custom/send');
    expect(sends.slice(-2).map((e) => e.response.errcode)).toEqual([40001, 0]);
    await push({ persona: 'alice', type: 'text', content: '领券!!' });
    expect(await outbox('token')).toHaveLength(2);
  });
});
