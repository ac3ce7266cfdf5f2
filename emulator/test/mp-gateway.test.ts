import { createHash } from 'node:crypto';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { control, startTestCloud } from './support';

const parser = new XMLParser({ parseTagValue: false });
const fields = (xml: string) => parser.parse(xml).xml as Record<string, string>;

describe('signed pushes to the 公众号 gateway', () => {
  let emulator: RunningEmulator;
  let api: string;
  beforeAll(async () => {
    emulator = await startTestCloud({ functionsDir: path.join(import.meta.dirname, 'fixtures/mp-functions') });
    api = `${emulator.url}/mp/cgi-bin`;
  });
  afterAll(async () => {
    await emulator.stop();
  });

  const push = (body: Record<string, unknown>) => control(emulator, 'POST', '/_emu/mp/push', body);
  const persona = async (name: string) =>
    ((await control(emulator, 'GET', '/_emu/personas')).body.personas as any[]).find((p) => p.name === name);
  const token = async () => {
    const { appid, secret } = emulator.ctx.options.mp;
    return (await (await fetch(`${api}/token?grant_type=client_credential&appid=${appid}&secret=${secret}`)).json()).access_token as string;
  };
  const independentSignature = (timestamp: string, nonce: string) =>
    createHash('sha1').update([emulator.ctx.options.mp.token, timestamp, nonce].sort().join('')).digest('hex');

  it('signs a QR follow, delivers it, flips the follow state, and the gateway greets through the API', async () => {
    const t = await token();
    const qr = await (
      await fetch(`${api}/qrcode/create?access_token=${t}`, {
        method: 'POST',
        body: JSON.stringify({ expire_seconds: 600, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'article:42' } } }),
      })
    ).json();
    const before = Math.floor(Date.now() / 1000);

    const { status, body } = await push({ persona: 'bob', type: 'subscribe', eventKey: 'article:42' });
    expect(status).toBe(200);
    expect(body.query.signature).toBe(independentSignature(body.query.timestamp, body.query.nonce));
    expect(body.query.openid).toBe('o-mp-bob');
    expect(Math.abs(Number(body.query.timestamp) - before)).toBeLessThanOrEqual(2);
    expect(fields(body.xml)).toMatchObject({
      FromUserName: 'o-mp-bob',
      MsgType: 'event',
      Event: 'subscribe',
      EventKey: 'qrscene_article:42',
      Ticket: qr.ticket,
    });
    expect(fields(body.xml).ToUserName).toMatch(/^gh_[0-9a-f]{12}$/);
    expect(body.response).toMatchObject({ statusCode: 200, body: 'success' });
    expect(typeof body.elapsedMs).toBe('number');

    expect((await persona('bob')).follows).toBe(true);
    const info = await (await fetch(`${api}/user/info?access_token=${await token()}&openid=o-mp-bob`)).json();
    expect(info).toMatchObject({ subscribe: 1, unionid: 'u-bob', subscribe_scene: 'ADD_SCENE_QR_CODE', qr_scene_str: 'article:42' });

    const sends = ((await control(emulator, 'GET', '/_emu/outbox?kind=mp')).body.entries as any[]).filter(
      (e) => e.api === 'message/custom/send',
    );
    expect(sends).toHaveLength(1);
    expect(sends[0].request).toMatchObject({
      touser: 'o-mp-bob',
      msgtype: 'miniprogrampage',
      miniprogrampage: { appid: emulator.ctx.options.appid, pagepath: 'pages/landing/index?scene=qrscene_article%3A42' },
    });
    expect(sends[0].response).toEqual({ errcode: 0, errmsg: 'ok' });
  });

  it('sends SCAN with the raw key from a follower and refuses pushes WeChat could not send', async () => {
    const scan = await push({ persona: 'bob', type: 'SCAN', eventKey: 'article:42' });
    expect(fields(scan.body.xml)).toMatchObject({ Event: 'SCAN', EventKey: 'article:42' });
    expect(scan.body.response.body).toBe('success');

    expect((await push({ persona: 'bob', type: 'subscribe' })).status).toBe(409);
    expect((await push({ persona: 'carol', type: 'CLICK', eventKey: 'MENU' })).status).toBe(409);
    expect((await push({ persona: 'nobody', type: 'text', content: 'x' })).status).toBe(400);
    expect((await push({ persona: 'bob', type: 'VIEW' })).status).toBe(400);
    expect((await push({ persona: 'bob', type: 'SCAN', eventKey: 'k', function: 'noSuchGateway' })).status).toBe(404);

    const gone = await push({ persona: 'bob', type: 'unsubscribe' });
    expect(gone.status).toBe(200);
    expect(fields(gone.body.xml).Event).toBe('unsubscribe');
    expect((await persona('bob')).follows).toBe(false);
  });

  it('delivers text with its MsgId, returns the passive reply, and repeats a delivery on demand', async () => {
    const { body } = await push({
      persona: 'alice',
      type: 'text',
      content: '你好',
      msgId: '23000000000000000001',
      createTime: 1_700_000_000,
      deliveries: 3,
    });
    expect(fields(body.xml)).toMatchObject({ MsgType: 'text', Content: '你好', MsgId: '23000000000000000001', CreateTime: '1700000000' });
    expect(body.reply).toMatchObject({ ToUserName: 'o-mp-alice', MsgType: 'text', Content: 'echo: 你好' });
    expect(body.deliveries).toHaveLength(3);
    for (const delivery of body.deliveries) expect(delivery.reply.Content).toBe('echo: 你好');
  });

  it('opens the customer-service window for the user who wrote', async () => {
    // A fresh token per send: the clock jumps past a token's 2 hours below.
    const send = async (touser: string) =>
      fetch(`${api}/message/custom/send?access_token=${await token()}`, {
        method: 'POST',
        body: JSON.stringify({ touser, msgtype: 'text', text: { content: '收到' } }),
      }).then((r) => r.json());
    await control(emulator, 'POST', '/_emu/personas', { name: 'carol', follows: true });
    expect((await send('o-mp-carol')).errcode).toBe(45015);
    await push({ persona: 'carol', type: 'CLICK', eventKey: 'MENU_HELP' });
    expect(await send('o-mp-carol')).toEqual({ errcode: 0, errmsg: 'ok' });
    await control(emulator, 'POST', '/_emu/clock', { advanceMs: 48 * 3600_000 + 1000 });
    expect((await send('o-mp-carol')).errcode).toBe(45015);
    await control(emulator, 'POST', '/_emu/clock', { reset: true });
  });

  it('lets the gateway refuse a tampered signature and a stale timestamp', async () => {
    const tampered = await push({ persona: 'alice', type: 'text', content: 'x', tamper: 'signature' });
    expect(tampered.body.query.signature).not.toBe(independentSignature(tampered.body.query.timestamp, tampered.body.query.nonce));
    expect(tampered.body.response).toMatchObject({ statusCode: 401, body: 'bad signature' });

    const stale = await push({ persona: 'alice', type: 'text', content: 'x', tamper: 'stale' });
    // Correctly signed, only old: the gateway must check the time itself.
    expect(stale.body.query.signature).toBe(independentSignature(stale.body.query.timestamp, stale.body.query.nonce));
    expect(Math.floor(Date.now() / 1000) - Number(stale.body.query.timestamp)).toBeGreaterThanOrEqual(590);
    expect(stale.body.response).toMatchObject({ statusCode: 401, body: 'stale timestamp' });
  });

  it('runs the GET echostr check', async () => {
    const ok = await control(emulator, 'POST', '/_emu/mp/verify', { echostr: '8031516498321004' });
    expect(ok.body).toMatchObject({ echoed: true, response: { statusCode: 200, body: '8031516498321004' } });
    expect(ok.body.query.signature).toBe(independentSignature(ok.body.query.timestamp, ok.body.query.nonce));
    const bad = await control(emulator, 'POST', '/_emu/mp/verify', { tamper: 'signature' });
    expect(bad.body).toMatchObject({ echoed: false, response: { statusCode: 401 } });
  });
});
