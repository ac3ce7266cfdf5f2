import { describe, expect, it } from 'vitest';
import { buildPushXml, ghIdFor, randomNonce, signatureOf } from '../../emulator/src/mp/push';
import { useCloud } from '../support/cloud';

/** What a captured, validly signed query can and cannot do (plaintext mode signs the query only). */
describe('mpGateway: forged bodies and out-of-bounds pushes', () => {
  const cloud = useCloud();

  const nowS = async () => Math.floor(Date.parse((await cloud.control<{ now: string }>('GET', '/_emu/clock')).now) / 1000);
  const count = async (collection: string, where: Record<string, unknown> = {}) =>
    (await cloud.db().collection(collection).where(where).count()).total as number;

  function signedQuery(timestamp: string, nonce = randomNonce()) {
    const { token } = cloud.emulator.ctx.options.mp;
    return new URLSearchParams({ signature: signatureOf(token, timestamp, nonce), timestamp, nonce });
  }
  async function post(query: URLSearchParams, body: string) {
    const response = await fetch(`${cloud.url}/_emu/http/mpGateway?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
    });
    return { status: response.status, body: await response.text() };
  }
  const click = (from: string, createTime: number, eventKey = 'MENU_HELLO') =>
    buildPushXml({ toUserName: ghIdFor(cloud.emulator.ctx.options.mp.appid), fromUserName: from, createTime, type: 'CLICK', eventKey });

  it('a captured query carries its own body again (a retry), never another one', async () => {
    const t = await nowS();
    const query = signedQuery(String(t));
    const original = click('o-mp-alice', t);
    expect(await post(query, original)).toEqual({ status: 200, body: 'success' });
    // WeChat's retry: same query, same body — answered, handled once.
    expect(await post(query, original)).toEqual({ status: 200, body: 'success' });
    expect(await count('events', { kind: 'mp_click' })).toBe(1);

    // The same query with a CLICK of another follower, and with a SCAN: refused, nothing written.
    for (const forged of [click('o-mp-bob', t), click('o-mp-alice', t + 1, 'OTHER_KEY')]) {
      expect(await post(query, forged)).toEqual({ status: 401, body: 'invalid signature' });
    }
    expect(await count('events', { kind: 'mp_click' })).toBe(1);
    expect(await count('mp_pushes_seen')).toBe(1);
  });

  it('forgets used pairs once their timestamp is stale anyway (scheduler job)', async () => {
    const t = await nowS();
    await post(signedQuery(String(t)), click('o-mp-alice', t));
    expect(await count('mp_nonces')).toBe(1);
    const run = await cloud.control<any>('POST', '/_emu/triggers/scheduler/fire');
    expect(run.result.data.jobs.find((j: any) => j.name === 'forgetNonces').result).toEqual({ removed: 0 });
    await cloud.control('POST', '/_emu/clock', { advanceMs: 11 * 60_000 });
    const later = await cloud.control<any>('POST', '/_emu/triggers/scheduler/fire');
    expect(later.result.data.jobs.find((j: any) => j.name === 'forgetNonces').result).toEqual({ removed: 1 });
    expect(await count('mp_nonces')).toBe(0);
  });

  it('refuses a sender, a QR value or a menu key longer than WeChat ever sends, writing nothing', async () => {
    const t = await nowS();
    const gh = ghIdFor(cloud.emulator.ctx.options.mp.appid);
    const bodies = [
      click('o'.repeat(65), t),
      click('o-mp-alice', t, 'k'.repeat(129)),
      buildPushXml({ toUserName: gh, fromUserName: 'o-mp-alice', createTime: t, type: 'SCAN', eventKey: 's'.repeat(65) }),
      buildPushXml({ toUserName: gh, fromUserName: 'o-mp-alice', createTime: t, type: 'subscribe', eventKey: 's'.repeat(65) }),
    ];
    for (const body of bodies) expect((await post(signedQuery(String(t)), body)).status).toBe(400);
    expect(await count('mp_pushes_seen')).toBe(0);
    expect(await count('members')).toBe(0);
    expect(await count('events')).toBe(0);
  });
});
