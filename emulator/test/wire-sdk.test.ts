import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAdminRequest } from '../src/admin-request';
import type { RunningEmulator } from '../src/index';
import { sdkFor, useTestCloud } from './support';
import { SDK_STABLE_HEADERS, SDK_VOLATILE_FIELDS, startWireProxy, TRANSPORT_HEADERS, type WireProxy, type WireRecord } from './wire-proxy';

/**
 * Wire fidelity for the non-database SDK calls Duet uses (storage, callFunction, cloudPay): what
 * the pinned wx-server-sdk 4.0.2 (→ @cloudbase/node-sdk 3.17.2) sends, recorded by a pass-through
 * proxy in front of the local cloud, with per-call values stripped. A change here means the SDK
 * changed its wire and the emulator's handlers must be re-checked.
 */

/** Per call or per run: tokens, ids, signatures. Nonces are fixed by the test, so they stay. */

/** COS upload headers whose values are minted by getUploadMetadata (checked against it instead). */
const UPLOAD_GRANT_HEADERS = new Set(['authorization', 'signature', 'x-cos-security-token', 'x-cos-meta-fileid']);

/** The multipart parts in the order sent: each name, with its part headers other than the disposition's name. */
function multipartParts(record: WireRecord): string[] {
  const boundary = /boundary=(\S+)/.exec(String(record.headers['content-type']))?.[1];
  if (!boundary) return [];
  const parts: string[] = [];
  for (const chunk of record.body.toString('latin1').split(`--${boundary}`)) {
    const head = chunk.slice(0, chunk.indexOf('\r\n\r\n')).trim();
    const name = /name="([^"]*)"/.exec(head)?.[1];
    if (name === undefined) continue;
    const rest = head
      .split('\r\n')
      .map((line) => line.replace(/^Content-Disposition: form-data; name="[^"]*";? ?/i, ''))
      .filter(Boolean);
    parts.push(rest.length ? `${name} (${rest.join('; ')})` : name);
  }
  return parts;
}

/** An admin call: stable headers and the body's fields without volatile ones; multipart parts described. */
function admin(record: WireRecord) {
  const parsed = parseAdminRequest({ headers: record.headers } as IncomingMessage, record.body);
  const fields = Object.fromEntries(Object.entries(parsed.params).filter(([key]) => !SDK_VOLATILE_FIELDS.has(key)));
  const files = Object.fromEntries(Object.entries(parsed.files ?? {}).map(([name, bytes]) => [name, bytes.toString('utf8')]));
  return {
    method: record.method,
    path: record.path,
    query: record.query,
    headers: Object.fromEntries(
      SDK_STABLE_HEADERS.filter((h) => record.headers[h] !== undefined).map((h) => [
        h,
        String(record.headers[h]).replace(/boundary=\S+/, 'boundary=<boundary>'),
      ]),
    ),
    fields,
    /** Present but per call: their names are wire, their values are not. */
    volatile: Object.keys(parsed.params)
      .filter((key) => SDK_VOLATILE_FIELDS.has(key))
      .sort(),
    ...(parsed.files ? { files, parts: multipartParts(record) } : {}),
  };
}

describe('storage, callFunction and cloudPay wire format of the pinned SDK', () => {
  const local = useTestCloud({ functionsDir: path.join(import.meta.dirname, 'fixtures/pay-functions') });
  let proxy: WireProxy;
  // The SDK's typings miss cloudPay and type storage results as `void | ...`.
  let cloud: any;
  const SUB_MCH_ID = '1900000109';

  beforeAll(async () => {
    proxy = await startWireProxy({ rewriteJson: true });
    // The proxy's origin is the local cloud's base URL for the SDK; it forwards to the real one.
    proxy.target = local.emulator.url;
    cloud = sdkFor({ ...local.emulator, url: proxy.url } as RunningEmulator, {
      openid: 'o-mini-alice',
      appid: local.emulator.ctx.options.appid,
    });
  });
  afterAll(async () => {
    await proxy?.close();
  });
  beforeEach(() => {
    proxy.records.length = 0;
  });

  it('uploadFile: getUploadMetadata, then a PUT with the granted COS headers', async () => {
    const bytes = Buffer.from('duet wire upload');
    const uploaded = await cloud.uploadFile({ cloudPath: 'wire/海报 1.png', fileContent: bytes });
    expect(uploaded.errMsg).toBe('uploadFile:ok');
    expect(uploaded.fileID).toMatch(/^cloud:\/\/duet-local\.[0-9a-f]+-duet-local-\d+\/wire\/海报 1\.png$/);
    expect(proxy.records).toHaveLength(2);
    const [meta, put] = proxy.records;
    expect(admin(meta)).toMatchInlineSnapshot(`
      {
        "fields": {
          "action": "storage.getUploadMetadata",
          "envName": "duet-local",
          "method": "put",
          "path": "wire/海报 1.png",
        },
        "headers": {
          "content-type": "application/json",
          "user-agent": "tcb-node-sdk/3.17.2",
          "x-sdk-version": "wx-server-sdk/4.0.2",
          "x-tcb-region": "ap-shanghai",
          "x-tcb-source": ",scf",
        },
        "method": "POST",
        "path": "/admin",
        "query": [
          "env",
          "seqId",
        ],
        "volatile": [
          "crossAuthorizationToken",
          "tcb_sessionToken",
          "wxCloudApiToken",
          "wxCloudbaseAccesstoken",
        ],
      }
    `);

    // The PUT carries exactly what getUploadMetadata granted, under two names for the signature.
    const grant = JSON.parse(meta.answer).data;
    expect(put.headers.authorization).toBe(grant.authorization);
    expect(put.headers.signature).toBe(grant.authorization);
    expect(put.headers['x-cos-security-token']).toBe(grant.token);
    expect(put.headers['x-cos-meta-fileid']).toBe(grant.cosFileId);
    expect(put.body.equals(bytes)).toBe(true);
    expect(put.answer).toBe('');
    expect({
      method: put.method,
      path: put.path,
      query: put.query,
      headers: Object.fromEntries(
        Object.keys(put.headers)
          .filter((h) => !TRANSPORT_HEADERS.has(h))
          .sort()
          .map((h) => [h, UPLOAD_GRANT_HEADERS.has(h) ? `<${h}>` : put.headers[h]]),
      ),
      framing: put.headers['transfer-encoding'] ?? `content-length ${put.headers['content-length']}`,
    }).toMatchInlineSnapshot(`
      {
        "framing": "chunked",
        "headers": {
          "authorization": "<authorization>",
          "key": "wire%2F%E6%B5%B7%E6%8A%A5%201.png",
          "signature": "<signature>",
          "x-cos-meta-fileid": "<x-cos-meta-fileid>",
          "x-cos-security-token": "<x-cos-security-token>",
        },
        "method": "PUT",
        "path": "/_emu/storage/wire/%E6%B5%B7%E6%8A%A5%201.png",
        "query": [],
      }
    `);
  });

  it('getTempFileURL and deleteFile', async () => {
    const { fileID } = await cloud.uploadFile({ cloudPath: 'wire/temp.txt', fileContent: Buffer.from('t') });
    proxy.records.length = 0;

    const temp = await cloud.getTempFileURL({ fileList: [fileID, { fileID, maxAge: 120 }] });
    expect(temp.fileList).toHaveLength(2);
    for (const item of temp.fileList) expect(item).toMatchObject({ fileID, status: 0, errMsg: 'ok' });
    expect(await (await fetch(encodeURI(temp.fileList[1].tempFileURL))).text()).toBe('t');

    const removed = await cloud.deleteFile({ fileList: [fileID] });
    expect(removed.fileList).toEqual([{ fileID, status: 0, errMsg: 'ok' }]);

    // The file id carries the env-derived bucket; keep it symbolic so the snapshot reads plainly.
    // The download above went through the proxy too; only the admin calls are the SDK's wire here.
    const wires = proxy.records.filter((r) => r.path === '/admin').map(admin);
    expect(JSON.parse(JSON.stringify(wires).split(fileID).join('<fileID>'))).toMatchInlineSnapshot(`
      [
        {
          "fields": {
            "action": "storage.batchGetDownloadUrl",
            "envName": "duet-local",
            "file_list": [
              {
                "fileid": "<fileID>",
              },
              {
                "fileid": "<fileID>",
                "max_age": 120,
              },
            ],
          },
          "headers": {
            "content-type": "application/json",
            "user-agent": "tcb-node-sdk/3.17.2",
            "x-sdk-version": "wx-server-sdk/4.0.2",
            "x-tcb-region": "ap-shanghai",
            "x-tcb-source": ",scf",
          },
          "method": "POST",
          "path": "/admin",
          "query": [
            "env",
            "seqId",
          ],
          "volatile": [
            "crossAuthorizationToken",
            "tcb_sessionToken",
            "wxCloudApiToken",
            "wxCloudbaseAccesstoken",
          ],
        },
        {
          "fields": {
            "action": "storage.batchDeleteFile",
            "envName": "duet-local",
            "fileid_list": [
              "<fileID>",
            ],
          },
          "headers": {
            "content-type": "application/json",
            "user-agent": "tcb-node-sdk/3.17.2",
            "x-sdk-version": "wx-server-sdk/4.0.2",
            "x-tcb-region": "ap-shanghai",
            "x-tcb-source": ",scf",
          },
          "method": "POST",
          "path": "/admin",
          "query": [
            "env",
            "seqId",
          ],
          "volatile": [
            "crossAuthorizationToken",
            "tcb_sessionToken",
            "wxCloudApiToken",
            "wxCloudbaseAccesstoken",
          ],
        },
      ]
    `);
  });

  it('callFunction', async () => {
    const result = await cloud.callFunction({ name: 'payCallback', data: { hello: '世界', n: 1, nested: { ok: true } } });
    expect(result.errMsg).toBe('callFunction:ok');
    expect(result.result).toMatchObject({ errcode: 0, received: { hello: '世界', n: 1, nested: { ok: true } } });
    expect(proxy.records.map(admin)).toMatchInlineSnapshot(`
      [
        {
          "fields": {
            "action": "functions.invokeFunction",
            "envName": "duet-local",
            "function_name": "payCallback",
            "request_data": "{"hello":"世界","n":1,"nested":{"ok":true}}",
          },
          "headers": {
            "content-type": "application/json",
            "user-agent": "tcb-node-sdk/3.17.2",
            "x-sdk-version": "wx-server-sdk/4.0.2",
            "x-tcb-region": "ap-shanghai",
            "x-tcb-source": ",scf",
          },
          "method": "POST",
          "path": "/admin",
          "query": [
            "env",
            "seqId",
          ],
          "volatile": [
            "crossAuthorizationToken",
            "tcb_sessionToken",
            "wxCloudApiToken",
            "wxCloudbaseAccesstoken",
          ],
        },
      ]
    `);
  });

  it('cloudPay.unifiedOrder and cloudPay.refund', async () => {
    const envId = local.emulator.ctx.options.envId;
    const ordered = await cloud.cloudPay.unifiedOrder({
      functionName: 'payCallback',
      envId,
      subMchId: SUB_MCH_ID,
      nonceStr: 'wirenonce0000001',
      body: 'Duet-拼团券',
      outTradeNo: 'DUETWIRE0000001',
      totalFee: 990,
      spbillCreateIp: '127.0.0.1',
      subOpenid: 'o-mini-alice',
      attach: 'g=1',
    });
    expect(ordered).toMatchObject({ errCode: 0, returnCode: 'SUCCESS', resultCode: 'SUCCESS', tradeType: 'JSAPI' });
    expect(ordered.payment.package).toBe(`prepay_id=${ordered.prepayId}`);

    const settled = await local.client.payments.settle('DUETWIRE0000001', { result: 'SUCCESS' });
    expect(settled.payment.state).toBe('SUCCESS');

    const refunded = await cloud.cloudPay.refund({
      functionName: 'refundCallback',
      envId,
      subMchId: SUB_MCH_ID,
      nonceStr: 'wirenonce0000002',
      outTradeNo: 'DUETWIRE0000001',
      outRefundNo: 'DUETWIREREFUND01',
      totalFee: 990,
      refundFee: 500,
      refundDesc: '拼团失败',
    });
    expect(refunded).toMatchObject({ errCode: 0, returnCode: 'SUCCESS', resultCode: 'SUCCESS', refundFee: 500 });
    expect(refunded.refundId).toEqual(expect.any(String));

    expect(proxy.records.map(admin)).toMatchInlineSnapshot(`
      [
        {
          "fields": {
            "action": "wx.wxPayApi",
            "apiName": "unifiedOrder",
            "envName": "duet-local",
          },
          "files": {
            "apiOptions": "",
            "requestData": "{"body":"Duet-拼团券","attach":"g=1","function_name":"payCallback","env_id":"duet-local","sub_mch_id":"1900000109","nonce_str":"wirenonce0000001","out_trade_no":"DUETWIRE0000001","total_fee":990,"spbill_create_ip":"127.0.0.1","sub_openid":"o-mini-alice"}",
          },
          "headers": {
            "content-type": "multipart/form-data; boundary=<boundary>",
            "user-agent": "tcb-node-sdk/3.17.2",
            "x-sdk-version": "wx-server-sdk/4.0.2",
            "x-tcb-region": "ap-shanghai",
            "x-tcb-source": ",scf",
          },
          "method": "POST",
          "parts": [
            "action",
            "apiName",
            "apiOptions (Content-Type: application/octet-stream)",
            "requestData (Content-Type: application/octet-stream)",
            "envName",
            "wxCloudApiToken",
            "wxCloudbaseAccesstoken",
            "tcb_sessionToken",
            "crossAuthorizationToken",
          ],
          "path": "/admin",
          "query": [
            "env",
            "seqId",
          ],
          "volatile": [
            "crossAuthorizationToken",
            "tcb_sessionToken",
            "wxCloudApiToken",
            "wxCloudbaseAccesstoken",
          ],
        },
        {
          "fields": {
            "action": "wx.wxPayApi",
            "apiName": "refund",
            "envName": "duet-local",
          },
          "files": {
            "apiOptions": "",
            "requestData": "{"function_name":"refundCallback","env_id":"duet-local","sub_mch_id":"1900000109","nonce_str":"wirenonce0000002","out_trade_no":"DUETWIRE0000001","out_refund_no":"DUETWIREREFUND01","total_fee":990,"refund_fee":500,"refund_desc":"拼团失败"}",
          },
          "headers": {
            "content-type": "multipart/form-data; boundary=<boundary>",
            "user-agent": "tcb-node-sdk/3.17.2",
            "x-sdk-version": "wx-server-sdk/4.0.2",
            "x-tcb-region": "ap-shanghai",
            "x-tcb-source": ",scf",
          },
          "method": "POST",
          "parts": [
            "action",
            "apiName",
            "apiOptions (Content-Type: application/octet-stream)",
            "requestData (Content-Type: application/octet-stream)",
            "envName",
            "wxCloudApiToken",
            "wxCloudbaseAccesstoken",
            "tcb_sessionToken",
            "crossAuthorizationToken",
          ],
          "path": "/admin",
          "query": [
            "env",
            "seqId",
          ],
          "volatile": [
            "crossAuthorizationToken",
            "tcb_sessionToken",
            "wxCloudApiToken",
            "wxCloudbaseAccesstoken",
          ],
        },
      ]
    `);
  });
});
