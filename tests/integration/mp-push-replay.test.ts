import { describe, expect, it } from 'vitest';
import { buildPushXml, ghIdFor, randomNonce, signatureOf } from '../../emulator/src/mp/push';
import { useCloud } from '../support/cloud';

/**
 * A 公众号 push WeChat got an answer to is never retried by WeChat: when its handling fails, the
 * scheduler runs it again from the stored push until it succeeds or is dead (listed for operators).
 */
describe('mpGateway: pushes that fail after their answer are replayed', () => {
  const cloud = useCloud();

  const push = (body: Record<string, unknown>) => cloud.control<any>('POST', '/_emu/mp/push', body);
  const claims = async () => (await cloud.db().collection('mp_pushes_seen').limit(100).get()).data as any[];
  const advance = (ms: number) => cloud.control('POST', '/_emu/clock', { advanceMs: ms });
  const tick = () => cloud.control<any>('POST', '/_emu/triggers/scheduler/fire');
  const follower = async (openid: string) => {
    const [identity] = (
      await cloud
        .db()
        .collection('identities')
        .where({ _id: `${cloud.emulator.ctx.options.mp.appid}:${openid}` })
        .get()
    ).data;
    if (!identity) return undefined;
    return (await cloud.db().collection('members').doc(identity.memberId).get()).data;
  };
  const replayRun = (answer: any) => answer.result.data.jobs.find((job: any) => job.name === 'replayPushes');

  /** A signed push with any sender, as WeChat would deliver it (the fake only sends for its personas). */
  async function signedPush(fields: { from: string; type: 'subscribe' | 'CLICK'; eventKey?: string }) {
    const { token, appid } = cloud.emulator.ctx.options.mp;
    const nowS = Math.floor(Date.parse((await cloud.control<{ now: string }>('GET', '/_emu/clock')).now) / 1000);
    const xml = buildPushXml({
      toUserName: ghIdFor(appid),
      fromUserName: fields.from,
      createTime: nowS,
      type: fields.type,
      eventKey: fields.eventKey,
    });
    const timestamp = String(nowS);
    const nonce = randomNonce();
    const query = new URLSearchParams({ signature: signatureOf(token, timestamp, nonce), timestamp, nonce });
    const response = await fetch(`${cloud.url}/_emu/http/mpGateway?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: xml,
    });
    return { status: response.status, body: await response.text() };
  }

  it('a subscribe answered at the 4 s budget whose work then hangs is finished by the scheduler', async () => {
    await cloud.control('POST', '/_emu/faults', { target: 'database.modifyDocument', error: 'timeout' });
    const answered = await push({ persona: 'bob', type: 'subscribe' });
    // WeChat got its answer in time and will not send the push again.
    expect(answered.response).toMatchObject({ statusCode: 200, body: 'success' });
    const [claim] = await claims();
    expect(claim).toMatchObject({ state: 'processing', kind: 'subscribe', push: { kind: 'subscribe', fromUserName: 'o-mp-bob' } });
    expect((await follower('o-mp-bob'))?.followsMp).not.toBe(true);

    // Before the claim's lease runs out, the attempt may still be alive: the scheduler leaves it.
    expect(replayRun(await tick()).result).toMatchObject({ replayed: 0 });
    // The hung attempt either stays hung (its lease runs out after 20 s) or, once the SDK gives up on the held
    // call (15 s of real time, however slow this machine is), records its own failure, due again 30 s later.
    // 31 s covers both; a failure recorded between the advance and the tick is due one round later.
    let replayed = 0;
    for (let round = 0; round < 3 && replayed === 0; round += 1) {
      await advance(31_000);
      const run = replayRun(await tick()).result;
      expect(run.failed).toBe(0);
      replayed += run.replayed;
    }
    expect(replayed).toBe(1);
    expect(await follower('o-mp-bob')).toMatchObject({ followsMp: true, mpOpenid: 'o-mp-bob' });
    const [done] = await claims();
    expect(done).toMatchObject({ state: 'done', attempts: 2 });
    expect(done.lease).toBeUndefined();
    // Done is done: another tick changes nothing.
    expect(replayRun(await tick()).result).toMatchObject({ replayed: 0 });
  });

  it('a push that failed fast waits for its pause, then is replayed once', async () => {
    // "Fast" means within the gateway's 4 s answer window: a cold start on a loaded machine can take longer (then
    // the gateway answers success by design). Warm an instance first with a request that touches no data.
    await cloud.client.invoke('mpGateway', { event: {}, source: 'wx_http' });
    await cloud.control('POST', '/_emu/faults', { target: 'database.modifyDocument', error: { errCode: -1, errMsg: 'system busy' } });
    const answered = await push({ persona: 'alice', type: 'CLICK', eventKey: 'MENU_HELLO' });
    // No `success`: WeChat retries on its own (if it does not, the scheduler will).
    expect(answered.response.statusCode).toBe(500);
    const [failed] = await claims();
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed.reason).toContain('system busy');
    expect(replayRun(await tick()).result).toMatchObject({ replayed: 0 });
    await advance(31_000);
    expect(replayRun(await tick()).result).toMatchObject({ replayed: 1 });
    expect((await claims())[0]).toMatchObject({ state: 'done', attempts: 2 });
    expect((await cloud.db().collection('events').where({ kind: 'mp_click' }).count()).total).toBe(1);
  });

  it('a push that keeps failing becomes dead after its last attempt and is listed for operators', async () => {
    // WeChat does not know this openid: user/info answers 40003 on every attempt.
    expect((await signedPush({ from: 'o-mp-stranger', type: 'subscribe' })).status).toBe(500);
    for (let attempt = 2; attempt <= 6; attempt += 1) {
      await advance(31 * 60_000);
      expect(replayRun(await tick()).result).toMatchObject({ replayed: 0, failed: 1 });
    }
    const [dead] = await claims();
    expect(dead).toMatchObject({ state: 'dead', attempts: 6 });
    await advance(31 * 60_000);
    expect(replayRun(await tick()).result).toMatchObject({ replayed: 0, failed: 0 });
    expect((await claims())[0].attempts).toBe(6);

    const listed = await cloud.invoke('admin', { action: 'listFailedPushes' });
    expect(listed.ok).toBe(true);
    expect(listed.data.pushes).toEqual([
      expect.objectContaining({ key: dead._id, state: 'dead', kind: 'subscribe', from: 'o-mp-stranger', attempts: 6, nextAttemptAt: null }),
    ]);
    expect(listed.data.pushes[0].reason).toContain('40003');
    expect(await follower('o-mp-stranger')).toBeUndefined();
  });

  it('a follower who unfollowed before the subscribe was handled (user/info: subscribe 0) is not marked following', async () => {
    await cloud.control('POST', '/_emu/personas', { name: 'gone', mpOpenid: 'o-mp-gone', unionid: 'u-gone', follows: false });
    const answered = await signedPush({ from: 'o-mp-gone', type: 'subscribe' });
    expect(answered).toMatchObject({ status: 200, body: 'success' });
    const member = await follower('o-mp-gone');
    expect(member).toBeDefined();
    expect(member.followsMp).not.toBe(true);
    expect((await claims())[0].state).toBe('done');
    // No welcome card to someone who is not following.
    const { entries } = await cloud.control<{ entries: any[] }>('GET', '/_emu/outbox?kind=mp');
    expect(entries.filter((e) => e.api === 'message/custom/send')).toHaveLength(0);
  });

  it('the scheduler refuses callers that are not the console, a timer or an admin', async () => {
    const refused = await cloud.invoke('scheduler', { action: 'run' }, 'alice');
    expect(refused).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
    expect((await cloud.db().collection('job_cursors').where({ _id: 'job:replayPushes' }).count()).total).toBe(0);
  });
});
