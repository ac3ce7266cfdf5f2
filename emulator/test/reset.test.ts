import { describe, expect, it } from 'vitest';
import { DEFAULT_PERSONAS } from '../src/services';
import { sdkFor, useTestCloud } from './support';

/**
 * `POST /_emu/reset` is what makes tests independent: everything a test can leave behind is gone
 * after it, read back through the control plane, the SDK and the HTTP routes.
 */
describe('POST /_emu/reset', () => {
  const cloud = useTestCloud();

  it('leaves nothing a test can leave behind', async () => {
    const { client, emulator } = cloud;
    const sdk: any = sdkFor(emulator, { openid: 'o-mini-alice', appid: emulator.ctx.options.appid });
    const db = sdk.database();
    const mp = `${emulator.url}/mp/cgi-bin`;
    const { appid, secret } = emulator.ctx.options.mp;

    // Data: a document in a schema collection and a collection of its own; an uploaded file with a temp URL.
    await db.collection('members').add({ data: { _id: 'm1', unionid: 'u-1' } });
    await db.createCollection('scratch');
    await db.collection('scratch').add({ data: { _id: 's1' } });
    const { fileID } = await sdk.uploadFile({ cloudPath: 'left/behind.txt', fileContent: Buffer.from('x') });
    const tempUrl = (await sdk.getTempFileURL({ fileList: [fileID] })).fileList[0].tempFileURL as string;
    // Module state: a payment, a grant, 公众号 token, menu, QR code and a customer-service window; personas changed.
    await sdk.cloudPay.unifiedOrder({
      functionName: 'payCallback',
      envId: emulator.ctx.options.envId,
      subMchId: '1900000109',
      nonceStr: 'n',
      body: 'left behind',
      outTradeNo: 'RESET0000001',
      totalFee: 1,
    });
    await client.grants.add({ openid: 'o-mini-alice', templateIds: ['TPL_REFUND'], result: 'accept' });
    const token = (await (await fetch(`${mp}/token?grant_type=client_credential&appid=${appid}&secret=${secret}`)).json()).access_token;
    await fetch(`${mp}/menu/create?access_token=${token}`, {
      method: 'POST',
      body: JSON.stringify({ button: [{ type: 'click', name: '菜单', key: 'K' }] }),
    });
    await fetch(`${mp}/qrcode/create?access_token=${token}`, {
      method: 'POST',
      body: JSON.stringify({ action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'left' } } }),
    });
    await client.personas.upsert([{ name: 'zed' }, { name: 'alice', follows: false, unionid: 'u-changed' }]);
    // Functions: a warm instance with a log and a cold-start record.
    const whoami = await client.invoke('whoami', { persona: 'bob' });
    expect(whoami).toHaveProperty('result');
    // Platform: a moved clock, a pending fault, counted requests, and an SDK call held by an injected timeout.
    await client.clock.advance(3 * 86_400_000);
    await client.faults.add('storage.batchDeleteFile', { errCode: -1, errMsg: 'left behind' }, 3);
    await client.faults.add('database.getDocument', 'timeout');
    // A query answers an empty list after the reset: were it retried, it would read as answered.
    const held = db
      .collection('members')
      .where({ unionid: 'u-1' })
      .get()
      .then(
        () => 'answered',
        () => 'dropped',
      );
    // Wait (however long the machine takes, up to the test's own timeout) until the call is held.
    while ((await client.faults.list()).faults.length > 1) await new Promise((r) => setTimeout(r, 10));
    expect((await client.faults.list()).faults).toHaveLength(1);
    expect(Object.keys((await client.stats()).counts).length).toBeGreaterThan(0);
    expect((await client.outbox.list()).entries.length).toBeGreaterThan(0);
    const busy = (await client.functions.list()).functions.find((f) => f.name === 'whoami');
    expect(busy?.lastColdStart).not.toBeNull();

    expect(await client.reset()).toEqual({ ok: true });

    // The held call is dropped, not left hanging into the next test.
    expect(await held).toBe('dropped');
    expect(await client.clock.get()).toMatchObject({ offsetMs: 0 });
    expect(await client.faults.list()).toEqual({ faults: [] });
    // Counted from the reset on; the held call above was counted before it.
    expect((await client.stats()).counts).toEqual({});
    expect(await client.outbox.list()).toEqual({ entries: [] });
    expect(await client.grants.list()).toEqual({ grants: {} });
    expect(await client.payments.list()).toEqual({ payments: [] });
    expect((await client.personas.list()).personas).toEqual(DEFAULT_PERSONAS);
    expect(await client.mp.state()).toMatchObject({ followers: ['o-mp-alice'], tokens: [], menu: null, qrcodes: [], interactions: {} });
    expect((await (await fetch(`${mp}/menu/get?access_token=${token}`)).json()).errcode).toBe(40001);

    const info = await client.db.info();
    expect(info.transactions).toBe(0);
    expect(info.collections.map((c) => c.name)).not.toContain('scratch');
    expect(info.collections.filter((c) => c.count > 0)).toEqual([]);
    expect((await fetch(`${emulator.url}/_emu/storage/left/behind.txt`)).status).toBe(404);
    // A temp URL from before the reset does not open a file uploaded again at the same path after it.
    await sdk.uploadFile({ cloudPath: 'left/behind.txt', fileContent: Buffer.from('new') });
    expect((await fetch(tempUrl)).status).toBe(403);

    const fn = (await client.functions.list()).functions.find((f) => f.name === 'whoami');
    // The idle instance stays, its function reloaded (fresh module state: see functions-runner); no cold start to report.
    expect(fn).toMatchObject({ instances: { total: 1, busy: 0 }, lastColdStart: null });
    expect(await client.functions.logs('whoami')).toEqual({ logs: [] });
    const again = await client.invoke('whoami', { persona: 'alice' });
    // alice as the defaults have her.
    expect(again).toMatchObject({ result: { wx: { OPENID: 'o-mini-alice', UNIONID: 'u-alice' } } });
  });
});
