import { createHash } from 'node:crypto';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { PushRequest } from '../src/client';
import { useTestCloud } from './support';

const parser = new XMLParser({ parseTagValue: false });
const fields = (xml: string) => parser.parse(xml).xml as Record<string, string>;
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

describe('signed pushes to the 公众号 gateway', () => {
  const cloud = useTestCloud({ functionsDir: path.join(import.meta.dirname, 'fixtures/mp-functions') });
  const api = () => `${cloud.emulator.url}/mp/cgi-bin`;

  const push = (body: PushRequest) => cloud.client.mp.push(body);
  const refusal = (body: Record<string, unknown>) => cloud.client.control('POST', '/_emu/mp/push', body);
  const persona = async (name: string) => (await cloud.client.personas.list()).personas.find((p) => p.name === name);
  const gatewayRuns = async () => (await cloud.client.functions.logs('mpGateway')).logs.length;
  const token = async () => {
    const { appid, secret } = cloud.emulator.ctx.options.mp;
    return (await (await fetch(`${api()}/token?grant_type=client_credential&appid=${appid}&secret=${secret}`)).json())
      .access_token as string;
  };
  const independentSignature = (timestamp: string, nonce: string) =>
    createHash('sha1').update([cloud.emulator.ctx.options.mp.token, timestamp, nonce].sort().join('')).digest('hex');

  it('signs a QR follow, delivers it, flips the follow state, and the gateway greets through the API', async () => {
    const t = await token();
    const qr = await (
      await fetch(`${api()}/qrcode/create?access_token=${t}`, {
        method: 'POST',
        body: JSON.stringify({ expire_seconds: 600, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'article:42' } } }),
      })
    ).json();
    const before = seconds((await cloud.client.clock.get()).now);
    const body = await push({ persona: 'bob', type: 'subscribe', eventKey: 'article:42' });
    const after = seconds((await cloud.client.clock.get()).now);
    expect(body.query.signature).toBe(independentSignature(body.query.timestamp, body.query.nonce));
    expect(body.query.openid).toBe('o-mp-bob');
    // Signed at the emulator's time of the push.
    expect(Number(body.query.timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(body.query.timestamp)).toBeLessThanOrEqual(after);
    expect(fields(body.xml)).toMatchObject({
      FromUserName: 'o-mp-bob',
      MsgType: 'event',
      Event: 'subscribe',
      EventKey: 'qrscene_article:42',
      Ticket: qr.ticket,
      CreateTime: body.query.timestamp,
    });
    expect(fields(body.xml).ToUserName).toMatch(/^gh_[0-9a-f]{12}$/);
    expect(body.response).toMatchObject({ statusCode: 200, body: 'success' });

    expect((await persona('bob'))?.follows).toBe(true);
    const info = await (await fetch(`${api()}/user/info?access_token=${await token()}&openid=o-mp-bob`)).json();
    expect(info).toMatchObject({ subscribe: 1, unionid: 'u-bob', subscribe_scene: 'ADD_SCENE_QR_CODE', qr_scene_str: 'article:42' });

    const sends = (await cloud.client.outbox.list('mp')).entries.filter((e) => e.api === 'message/custom/send');
    expect(sends).toHaveLength(1);
    expect(sends[0].request).toMatchObject({
      touser: 'o-mp-bob',
      msgtype: 'miniprogrampage',
      miniprogrampage: { appid: cloud.emulator.ctx.options.appid, pagepath: 'pages/landing/index?scene=qrscene_article%3A42' },
    });
    expect(sends[0].response).toEqual({ errcode: 0, errmsg: 'ok' });
  });

  it('sends SCAN with the raw key from a follower, and unsubscribe flips the follow state', async () => {
    const scan = await push({ persona: 'alice', type: 'SCAN', eventKey: 'article:42' });
    expect(fields(scan.xml)).toMatchObject({ Event: 'SCAN', EventKey: 'article:42' });
    expect(scan.response.body).toBe('success');

    const gone = await push({ persona: 'alice', type: 'unsubscribe' });
    expect(fields(gone.xml).Event).toBe('unsubscribe');
    expect((await persona('alice'))?.follows).toBe(false);
    expect(await gatewayRuns()).toBe(2);
  });

  it('refuses pushes WeChat could not send, with the reason, delivering nothing and changing no follow state', async () => {
    const personasBefore = (await cloud.client.personas.list()).personas;
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ persona: 'alice', type: 'subscribe' }, 409, 'alice already follows; push unsubscribe first, or SCAN'],
      [{ persona: 'carol', type: 'CLICK', eventKey: 'MENU' }, 409, 'carol does not follow the 公众号'],
      [{ persona: 'nobody', type: 'text', content: 'x' }, 400, '"persona" must name a persona (alice, bob, carol)'],
      [{ persona: 'alice', type: 'VIEW' }, 400, '"type" must be one of subscribe, unsubscribe, SCAN, CLICK, text'],
      [{ persona: 'alice', type: 'CLICK' }, 400, 'a CLICK push needs "eventKey"'],
      [{ persona: 'alice', type: 'text', content: 'x', deliveries: 5 }, 400, '"deliveries" must be 1 to 4'],
      [{ persona: 'alice', type: 'SCAN', eventKey: 'k', function: 'noSuchGateway' }, 404, 'no function noSuchGateway to push to'],
      [{ persona: 'alice', type: 'text', content: 'x', mode: 'safe' }, 400, '"mode": "safe" needs the 公众号\'s EncodingAESKey'],
    ];
    for (const [body, status, reason] of cases) {
      const answer = await refusal(body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.error.message, JSON.stringify(body)).toContain(reason);
    }
    expect((await cloud.client.personas.list()).personas).toEqual(personasBefore);
    expect(await gatewayRuns()).toBe(0);
    expect((await cloud.client.mp.state()).interactions).toEqual({});
  });

  it('delivers text with its MsgId, returns the passive reply, and repeats a delivery on demand', async () => {
    const body = await push({
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
    for (const delivery of body.deliveries) expect(delivery.reply?.Content).toBe('echo: 你好');
    expect(await gatewayRuns()).toBe(3);
  });

  it('opens the customer-service window for the user who wrote', async () => {
    // A fresh token per send: the clock jumps past a token's 2 hours below.
    const send = async (touser: string) =>
      fetch(`${api()}/message/custom/send?access_token=${await token()}`, {
        method: 'POST',
        body: JSON.stringify({ touser, msgtype: 'text', text: { content: '收到' } }),
      }).then((r) => r.json());
    await cloud.client.personas.upsert({ name: 'carol', follows: true });
    expect((await send('o-mp-carol')).errcode).toBe(45015);
    await push({ persona: 'carol', type: 'CLICK', eventKey: 'MENU_HELP' });
    expect(await send('o-mp-carol')).toEqual({ errcode: 0, errmsg: 'ok' });
    await cloud.client.clock.advance(48 * 3600_000 + 1000);
    expect((await send('o-mp-carol')).errcode).toBe(45015);
  });

  it('lets the gateway refuse a tampered signature and a stale timestamp', async () => {
    const tampered = await push({ persona: 'alice', type: 'text', content: 'x', tamper: 'signature' });
    expect(tampered.query.signature).not.toBe(independentSignature(tampered.query.timestamp, tampered.query.nonce));
    expect(tampered.response).toMatchObject({ statusCode: 401, body: 'bad signature' });

    const before = seconds((await cloud.client.clock.get()).now);
    const stale = await push({ persona: 'alice', type: 'text', content: 'x', tamper: 'stale' });
    const after = seconds((await cloud.client.clock.get()).now);
    // Correctly signed, only ten minutes old on the emulator clock: the gateway must check the time itself.
    expect(stale.query.signature).toBe(independentSignature(stale.query.timestamp, stale.query.nonce));
    expect(Number(stale.query.timestamp)).toBeGreaterThanOrEqual(before - 600);
    expect(Number(stale.query.timestamp)).toBeLessThanOrEqual(after - 600);
    expect(stale.response).toMatchObject({ statusCode: 401, body: 'stale timestamp' });
    // Refused by the gateway, not by WeChat: the user still wrote, so the window is open.
    expect(Object.keys((await cloud.client.mp.state()).interactions)).toEqual(['o-mp-alice']);
  });

  it('runs the GET echostr check', async () => {
    const ok = await cloud.client.mp.verify({ echostr: '8031516498321004' });
    expect(ok).toMatchObject({ echoed: true, response: { statusCode: 200, body: '8031516498321004' } });
    expect(ok.query.signature).toBe(independentSignature(ok.query.timestamp, ok.query.nonce));
    const bad = await cloud.client.mp.verify({ tamper: 'signature' });
    expect(bad).toMatchObject({ echoed: false, response: { statusCode: 401, body: 'bad signature' } });
  });
});
