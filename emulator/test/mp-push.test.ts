import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildPushXml, gatewayResponse, ghIdFor, integrationEvent, randomMsgId, signatureOf, tamperSignature } from '../src/mp/push';

const parser = new XMLParser({ parseTagValue: false });
const parse = (xml: string) => parser.parse(xml).xml as Record<string, string>;
const base = { toUserName: 'gh_0123456789ab', fromUserName: 'o-mp-alice', createTime: 1_700_000_000 };

describe('push XML', () => {
  it('prefixes the scene with qrscene_ on a follow through a QR code and carries the ticket', () => {
    const xml = buildPushXml({ ...base, type: 'subscribe', eventKey: 'article:42', ticket: 'gQticket' });
    expect(xml.startsWith('<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>')).toBe(true);
    expect(parse(xml)).toEqual({
      ToUserName: 'gh_0123456789ab',
      FromUserName: 'o-mp-alice',
      CreateTime: '1700000000',
      MsgType: 'event',
      Event: 'subscribe',
      EventKey: 'qrscene_article:42',
      Ticket: 'gQticket',
    });
  });

  it('sends a plain follow with an empty EventKey and no ticket', () => {
    const fields = parse(buildPushXml({ ...base, type: 'subscribe', ticket: 'ignored' }));
    expect(fields.Event).toBe('subscribe');
    expect(fields.EventKey).toBe('');
    expect(fields.Ticket).toBeUndefined();
  });

  it('keeps the raw scene on SCAN (no prefix) and the key on CLICK', () => {
    expect(parse(buildPushXml({ ...base, type: 'SCAN', eventKey: 'article:42', ticket: 't' }))).toMatchObject({
      Event: 'SCAN',
      EventKey: 'article:42',
      Ticket: 't',
    });
    expect(parse(buildPushXml({ ...base, type: 'CLICK', eventKey: 'MENU_GROUPS' }))).toMatchObject({
      Event: 'CLICK',
      EventKey: 'MENU_GROUPS',
    });
    expect(parse(buildPushXml({ ...base, type: 'unsubscribe' }))).toMatchObject({ MsgType: 'event', Event: 'unsubscribe', EventKey: '' });
  });

  it('builds text messages with Content and MsgId, surviving CDATA terminators and markup', () => {
    const content = '你好 <b>&</b> ]]> end';
    const fields = parse(buildPushXml({ ...base, type: 'text', content, msgId: '23456789012345678' }));
    expect(fields).toMatchObject({ MsgType: 'text', Content: content, MsgId: '23456789012345678' });
    expect(fields.Event).toBeUndefined();
    expect(randomMsgId()).toMatch(/^\d{19}$/);
  });
});

describe('push signature', () => {
  it('is sha1 of the sorted token, timestamp and nonce', () => {
    const token = 'duetlocaltoken';
    const independent = createHash('sha1').update(['1700000000', '123456', token].sort().join('')).digest('hex');
    expect(signatureOf(token, '1700000000', '123456')).toBe(independent);
    // Order of the inputs must not matter: they are sorted first.
    expect(signatureOf('123456', token, '1700000000')).toBe(independent);
    const tampered = tamperSignature(independent);
    expect(tampered).toHaveLength(40);
    expect(tampered).not.toBe(independent);
  });

  it('derives a stable gh_ id per appid', () => {
    expect(ghIdFor('wx1')).toMatch(/^gh_[0-9a-f]{12}$/);
    expect(ghIdFor('wx1')).toBe(ghIdFor('wx1'));
    expect(ghIdFor('wx1')).not.toBe(ghIdFor('wx2'));
  });
});

describe('HTTP access service shapes', () => {
  it('builds the integration event of a push', () => {
    const event = integrationEvent({
      functionName: 'mpGateway',
      method: 'POST',
      query: { signature: 's', timestamp: '1', nonce: '2', openid: 'o' },
      body: '<xml></xml>',
      envId: 'duet-local',
      requestId: 'r-1',
    });
    expect(event).toMatchObject({
      path: '/mpGateway',
      httpMethod: 'POST',
      headers: { 'content-type': 'text/xml', 'content-length': '11' },
      queryStringParameters: { signature: 's', timestamp: '1', nonce: '2', openid: 'o' },
      body: '<xml></xml>',
      isBase64Encoded: false,
      requestContext: { envId: 'duet-local', requestId: 'r-1' },
    });
  });

  it('reads the function answer as the access service does', () => {
    expect(gatewayResponse({ statusCode: 403, body: 'no' })).toEqual({ statusCode: 403, headers: {}, body: 'no' });
    expect(gatewayResponse({ statusCode: 200, body: Buffer.from('hi').toString('base64'), isBase64Encoded: true }).body).toBe('hi');
    expect(gatewayResponse({ statusCode: 200, headers: { 'Content-Type': 'application/xml' }, body: '<xml/>' }).headers).toEqual({
      'content-type': 'application/xml',
    });
    expect(gatewayResponse('success')).toMatchObject({ statusCode: 200, body: 'success' });
    expect(gatewayResponse({ ok: true })).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
  });
});
