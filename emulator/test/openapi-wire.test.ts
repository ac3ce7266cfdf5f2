import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAdminRequest } from '../src/admin-request';
import type { RunningEmulator } from '../src/index';
import { decodeOpenApiRequest, sdkProtobuf } from '../src/openapi/wire';
import { makeOpenapiProject } from './openapi-support';
import { sdkFor, useTestCloud } from './support';
import { SDK_VOLATILE_FIELDS, startWireProxy, type WireProxy, type WireRecord } from './wire-proxy';

/**
 * Fidelity check: what the pinned wx-server-sdk puts on the wire for the open APIs Duet uses,
 * decoded with the SDK's own protobuf types and stripped of what changes per call. A change here
 * means the SDK changed its encoding and the emulator's decoder must be re-checked.
 */

function describeWire(record: WireRecord) {
  const parsed = parseAdminRequest({ headers: record.headers } as IncomingMessage, record.body);
  const fields = Object.fromEntries(Object.entries(parsed.params).filter(([key]) => !SDK_VOLATILE_FIELDS.has(key)));
  const requestData = parsed.files?.requestData as Buffer;
  const raw = sdkProtobuf().CommApiData.decode(requestData);
  const decoded = decodeOpenApiRequest(requestData);
  return {
    method: record.method,
    path: record.path,
    contentType: String(record.headers['content-type']).replace(/boundary=\S+/, 'boundary=<boundary>'),
    sdkVersion: record.headers['x-sdk-version'],
    fields,
    fileParts: Object.keys(parsed.files ?? {}),
    apiType: decoded.apiType,
    appid: decoded.appid,
    pairs: raw.openapiData?.pairs.map((pair) => ({
      key: pair.key,
      ...(pair.filename
        ? { filename: pair.filename, bytes: Buffer.from(pair.value).toString('hex') }
        : { json: Buffer.from(pair.value).toString('utf8') }),
      ...(pair.contenttype ? { contenttype: pair.contenttype } : {}),
    })),
  };
}

describe('wire requests of the pinned SDK for open APIs', () => {
  const project = makeOpenapiProject();
  const local = useTestCloud({ projectRoot: project.root });
  let proxy: WireProxy;
  let cloud: ReturnType<typeof sdkFor>;

  beforeAll(async () => {
    // A recording pass-through in front of the local cloud: the SDK talks to it as to production.
    proxy = await startWireProxy({ target: local.emulator.url });
    cloud = sdkFor({ ...local.emulator, url: proxy.url } as RunningEmulator);
  });
  afterAll(async () => {
    await proxy?.close();
    project.cleanup();
  });
  beforeEach(async () => {
    // Straight to the local cloud, not through the proxy: only the SDK's requests are recorded.
    await local.client.grants.add({ openid: 'o-mini-alice', templateIds: ['TPL_GROUP_SUCCESS'], result: 'accept' });
    proxy.records.length = 0;
  });

  const last = () => describeWire(proxy.records.at(-1) as WireRecord);

  it('subscribeMessage.send', async () => {
    await cloud.openapi.subscribeMessage.send({
      touser: 'o-mini-alice',
      templateId: 'TPL_GROUP_SUCCESS',
      page: 'pages/coupon/index?from=msg',
      miniprogramState: 'formal',
      lang: 'zh_CN',
      data: { thing1: { value: '招牌奶茶' }, amount2: { value: '¥19.90' }, time3: { value: '15:01' }, thing4: { value: '查看订单' } },
    });
    expect(last()).toMatchInlineSnapshot(`
      {
        "apiType": "OPEN_API",
        "appid": "",
        "contentType": "multipart/form-data; boundary=<boundary>",
        "fields": {
          "action": "wx.openApi",
          "apiName": "subscribeMessage.send",
          "envName": "duet-local",
        },
        "fileParts": [
          "requestData",
        ],
        "method": "POST",
        "pairs": [
          {
            "json": ""o-mini-alice"",
            "key": "touser",
          },
          {
            "json": ""pages/coupon/index?from=msg"",
            "key": "page",
          },
          {
            "json": ""zh_CN"",
            "key": "lang",
          },
          {
            "json": "{"thing1":{"value":"招牌奶茶"},"amount2":{"value":"¥19.90"},"time3":{"value":"15:01"},"thing4":{"value":"查看订单"}}",
            "key": "data",
          },
          {
            "json": ""TPL_GROUP_SUCCESS"",
            "key": "template_id",
          },
          {
            "json": ""formal"",
            "key": "miniprogram_state",
          },
        ],
        "path": "/admin",
        "sdkVersion": "wx-server-sdk/4.0.2",
      }
    `);
  });

  it('wxacode.getUnlimited', async () => {
    await cloud.openapi.wxacode.getUnlimited({
      scene: 'a=7',
      page: 'pages/coupon/index',
      checkPath: true,
      envVersion: 'release',
      width: 430,
      isHyaline: false,
      lineColor: { r: 0, g: 0, b: 0 },
    });
    expect(last()).toMatchInlineSnapshot(`
      {
        "apiType": "OPEN_API",
        "appid": "",
        "contentType": "multipart/form-data; boundary=<boundary>",
        "fields": {
          "action": "wx.openApi",
          "apiName": "wxacode.getUnlimited",
          "envName": "duet-local",
        },
        "fileParts": [
          "requestData",
        ],
        "method": "POST",
        "pairs": [
          {
            "json": ""a=7"",
            "key": "scene",
          },
          {
            "json": ""pages/coupon/index"",
            "key": "page",
          },
          {
            "json": "430",
            "key": "width",
          },
          {
            "json": "true",
            "key": "check_path",
          },
          {
            "json": ""release"",
            "key": "env_version",
          },
          {
            "json": "false",
            "key": "is_hyaline",
          },
          {
            "json": "{"r":0,"g":0,"b":0}",
            "key": "line_color",
          },
        ],
        "path": "/admin",
        "sdkVersion": "wx-server-sdk/4.0.2",
      }
    `);
  });

  it('customerServiceMessage.send', async () => {
    const upload = await cloud.openapi.customerServiceMessage.uploadTempMedia({
      type: 'image',
      media: { contentType: 'image/png', value: Buffer.from('89504e47', 'hex') },
    });
    expect(last()).toMatchInlineSnapshot(`
      {
        "apiType": "OPEN_API",
        "appid": "",
        "contentType": "multipart/form-data; boundary=<boundary>",
        "fields": {
          "action": "wx.openApi",
          "apiName": "customerServiceMessage.uploadTempMedia",
          "envName": "duet-local",
        },
        "fileParts": [
          "requestData",
        ],
        "method": "POST",
        "pairs": [
          {
            "json": ""image"",
            "key": "type",
          },
          {
            "bytes": "89504e47",
            "filename": "media.png",
            "key": "media",
          },
        ],
        "path": "/admin",
        "sdkVersion": "wx-server-sdk/4.0.2",
      }
    `);
    await cloud.openapi.customerServiceMessage.send({
      touser: 'o-mini-alice',
      msgtype: 'miniprogrampage',
      miniprogrampage: { title: '拼团还差 1 人', pagepath: 'packages/groupbuy/invite/index?g=1', thumbMediaId: upload.mediaId },
    });
    const wire = last();
    // The media id is minted per run.
    const card = wire.pairs?.find((pair) => pair.key === 'miniprogrampage') as { json: string } | undefined;
    expect(JSON.parse(String(card?.json)).thumb_media_id).toBe(upload.mediaId);
    if (card) card.json = card.json.replace(upload.mediaId, '<media_id>');
    expect(wire).toMatchInlineSnapshot(`
      {
        "apiType": "OPEN_API",
        "appid": "",
        "contentType": "multipart/form-data; boundary=<boundary>",
        "fields": {
          "action": "wx.openApi",
          "apiName": "customerServiceMessage.send",
          "envName": "duet-local",
        },
        "fileParts": [
          "requestData",
        ],
        "method": "POST",
        "pairs": [
          {
            "json": ""o-mini-alice"",
            "key": "touser",
          },
          {
            "json": ""miniprogrampage"",
            "key": "msgtype",
          },
          {
            "json": "{"title":"拼团还差 1 人","pagepath":"packages/groupbuy/invite/index?g=1","thumb_media_id":"<media_id>"}",
            "key": "miniprogrampage",
          },
        ],
        "path": "/admin",
        "sdkVersion": "wx-server-sdk/4.0.2",
      }
    `);
  });
});
