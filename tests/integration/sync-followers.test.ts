import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/lib/seed';
import { useCloud } from '../support/cloud';

/** The count of write actions the local cloud served (GET /_emu/stats), by action. */
const WRITES = ['database.insertDocument', 'database.modifyDocument', 'database.removeDocument'] as const;

describe('admin syncFollowers: existing 公众号 followers become members', () => {
  const cloud = useCloud();
  const sync = (event: Record<string, unknown> = {}) => cloud.invoke('admin', { action: 'syncFollowers', ...event });
  const syncToEnd = async (event: Record<string, unknown> = {}) => {
    let answer = await sync(event);
    for (let runs = 1; answer.ok && answer.data.remaining > 0; runs += 1) {
      if (runs > 50) throw new Error('the sync is not finishing');
      answer = await sync(event);
    }
    expect(answer.ok).toBe(true);
    return answer.data;
  };
  const count = async (collection: string, where: Record<string, unknown> = {}) =>
    (await cloud.db().collection(collection).where(where).count()).total as number;
  const member = async (id: string) => (await cloud.db().collection('members').doc(id).get()).data;
  const identity = async (id: string) => (await cloud.db().collection('identities').doc(id).get()).data;
  const cursor = async () => (await cloud.db().collection('job_cursors').doc('sync-followers').get()).data;
  const mpAppid = () => cloud.emulator.ctx.options.mp.appid;
  const writes = async () => {
    const { counts } = await cloud.client.stats();
    return Object.fromEntries(WRITES.map((action) => [action, counts[action] ?? 0]));
  };
  const mpCalls = async (api: string) => (await cloud.client.outbox.list('mp')).entries.filter((e) => e.api === api);

  it('binds 25,000 followers over three user/get pages, across a chunked run, a failed run and timed runs; a re-run changes nothing', async () => {
    // Two followers are mini-program members already: bob, and someone whose unionid WeChat gives a synthetic follower.
    await cloud.client.personas.upsert({ name: 'bob', follows: true });
    const bob = await cloud.invoke('member', { action: 'login' }, 'bob');
    const early = await cloud.invoke('member', { action: 'login' }, { openid: 'o-mini-early', unionid: 'u-f000001' });
    const added = await cloud.client.mp.addFollowers({ count: 24_998, unionids: true });
    expect(added).toMatchObject({ total: 25_000, personas: ['o-mp-alice', 'o-mp-bob'] });

    // Stopped after 1,500 of the first page (alice, bob, f000001…f009998).
    const first = await sync({ chunkSize: 1_500 });
    expect(first).toMatchObject({ ok: true, data: { total: 25_000, done: 1_500, remaining: 23_500, finishedAt: null } });
    expect(await cursor()).toMatchObject({ pageOpenid: '', offset: 1_500, lastOpenid: 'o-mp-f001498', done: 1_500 });
    expect((await cursor()).lease).toBeUndefined();
    expect(await count('members')).toBe(1_500);

    // The database refuses the next run's first write: the run fails, its lease is freed, the cursor stays.
    await cloud.client.faults.add('database.insertDocument', { errCode: -501001, errMsg: 'resource system error' });
    expect(await sync()).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(await cursor()).toMatchObject({ done: 1_500, offset: 1_500 });
    expect((await cursor()).lease).toBeUndefined();

    // Then runs of at most 40 s each (the function's limit is 60 s) to the end.
    const started = performance.now();
    const runs: number[] = [];
    let last: any;
    do {
      last = await sync();
      expect(last.ok).toBe(true);
      runs.push(last.data.done);
    } while (last.data.remaining > 0);
    const seconds = (performance.now() - started) / 1000;
    console.log(`syncFollowers: 23,500 followers in ${seconds.toFixed(1)} s, ${runs.length} runs (done after each: ${runs.join(', ')})`);
    for (let i = 1; i < runs.length; i += 1) expect(runs[i]).toBeGreaterThanOrEqual(runs[i - 1]);
    expect(last.data).toMatchObject({ total: 25_000, done: 25_000, remaining: 0, bound: 2, marked: 0, notFollowing: 0 });
    // Followers the failed run bound before it stopped count as unchanged when the batch is redone.
    expect(last.data.created + last.data.unchanged).toBe(24_998);
    expect(last.data.unchanged).toBeLessThan(100);

    // Every follower is a member that follows, one member per person.
    expect(await count('members')).toBe(25_000);
    expect(await count('members', { followsMp: true })).toBe(25_000);
    expect(await count('identities', { appid: mpAppid() })).toBe(25_000);
    // alice, bob and every other synthetic follower have a unionid.
    expect(await count('identities', { kind: 'unionid' })).toBe(12_501);
    expect(await count('identities')).toBe(25_000 + 12_501 + 2);
    expect(await member(bob.data._id)).toMatchObject({ followsMp: true, mpOpenid: 'o-mp-bob', unionid: 'u-bob' });
    expect((await identity(`${mpAppid()}:o-mp-f000001`)).memberId).toBe(early.data._id);
    expect(await member(early.data._id)).toMatchObject({ followsMp: true, mpOpenid: 'o-mp-f000001' });
    expect(await count('members', { mergedInto: cloud.db().command.exists(true) })).toBe(0);
    // Synced follows are not arrivals: no funnel events (bob's and early's logins above are their only ones).
    expect(await count('events')).toBe(2);
    expect(await count('events', { kind: 'login' })).toBe(2);
    // Three pages and the empty answer after them; batchget never over 100.
    const pages = new Set((await mpCalls('user/get')).map((call) => (call.request as any).next_openid ?? ''));
    expect([...pages]).toEqual(['', 'o-mp-f009998', 'o-mp-f019998', 'o-mp-f024998']);
    expect(Math.max(...(await mpCalls('user/info/batchget')).map((call) => (call.request as any).user_list.length))).toBe(100);

    // Run again: the finished result, no write, not even a call to WeChat.
    const beforeAgain = { writes: await writes(), calls: (await cloud.client.outbox.list('mp')).entries.length };
    const again = await sync();
    expect(again).toEqual(last);
    expect(await writes()).toEqual(beforeAgain.writes);
    expect((await cloud.client.outbox.list('mp')).entries.length).toBe(beforeAgain.calls);

    // Started again on purpose: it walks all 25,000, binds nobody new, writes only its own cursor.
    const beforeRestart = await writes();
    const walk = performance.now();
    const restarted = await syncToEnd({ restart: true });
    console.log(`syncFollowers restart over 25,000 known followers: ${((performance.now() - walk) / 1000).toFixed(1)} s`);
    expect(restarted).toMatchObject({ total: 25_000, done: 25_000, remaining: 0, created: 0, bound: 0, marked: 0, unchanged: 25_000 });
    const afterRestart = await writes();
    expect(afterRestart['database.insertDocument']).toBe(beforeRestart['database.insertDocument']);
    expect(afterRestart['database.removeDocument']).toBe(beforeRestart['database.removeDocument']);
    // Lease, restart, a quiet save every 5 s, the end, the release: a few cursor writes per run.
    expect(afterRestart['database.modifyDocument'] - beforeRestart['database.modifyDocument']).toBeLessThanOrEqual(20);
    expect(await count('members')).toBe(25_000);
    expect(await count('identities')).toBe(37_503);
  }, 1_500_000);

  it('is an admin job: a member not on the admin list is refused before anything is read or written', async () => {
    await cloud.invoke('member', { action: 'login' }, 'bob');
    const refused = await cloud.invoke('admin', { action: 'syncFollowers' }, 'bob');
    expect(refused).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' });
    expect(await count('job_cursors')).toBe(0);
    expect(await mpCalls('user/get')).toEqual([]);
    expect(await count('members')).toBe(1);
  });

  it('lets one run work at a time: a second run started at once answers CONFLICT', async () => {
    await cloud.client.mp.addFollowers({ count: 2_000 });
    const answers = await Promise.all([sync(), sync()]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok)).toMatchObject([{ ok: false, code: 'CONFLICT' }]);
    const done = await syncToEnd();
    expect(done).toMatchObject({ done: 2_001, created: 2_001 });
    expect(await count('members')).toBe(2_001);
    // Each follower's 公众号 identity, and alice's unionid.
    expect(await count('identities')).toBe(2_002);
  });

  it('leaves an unfollow pushed after the follow time, heals a follower whose unionid came later, writes no funnel event', async () => {
    await cloud.client.personas.upsert({ name: 'dan', follows: true });
    expect(await syncToEnd()).toMatchObject({ done: 2, created: 2 });
    const alice = (await identity(`${mpAppid()}:o-mp-alice`)).memberId;
    expect(await member(alice)).toMatchObject({ followsMp: true, mpOpenid: 'o-mp-alice' });
    expect(await count('events')).toBe(0);

    // alice unfollows (a push later than her follow time); the list read next still has her, as
    // WeChat's can when it was read before the unfollow.
    await cloud.client.clock.advance(10_000);
    await cloud.client.mp.push({ persona: 'alice', type: 'unsubscribe' });
    await cloud.client.personas.upsert({ name: 'alice', follows: true });
    // dan opens the mini-program with a unionid, which WeChat now also gives for his 公众号 openid.
    await cloud.client.personas.upsert({ name: 'dan', unionid: 'u-dan' });
    const danMini = await cloud.invoke('member', { action: 'login' }, 'dan');
    expect(danMini.data.followsMp).toBe(false);
    const eventsBefore = await count('events');

    expect(await syncToEnd({ restart: true })).toMatchObject({ done: 2, marked: 1, notFollowing: 1, created: 0 });
    expect(await member(alice)).toMatchObject({ followsMp: false });
    // dan's two members became one: the mini-program's, following.
    const danAgain = await cloud.invoke('member', { action: 'login' }, 'dan');
    expect(danAgain.data).toMatchObject({ _id: danMini.data._id, followsMp: true });
    expect(await count('members', { mergedInto: danMini.data._id })).toBe(1);
    expect(await count('events')).toBe(eventsBefore);
  });

  it('the dev seed makes the demo agree with the personas: alice follows, so her member says 已关注', async () => {
    const summary = await seedDemo(cloud.url);
    expect(summary).toContain('followers: 1 synced (1 new members)');
    // bob opened the demo 两人团 and paid, through the functions: the storefront has a group to join.
    expect(summary).toMatch(
      /demo group \S+ \(bob, gb-spring-mug\): open, 还差 1 人; alice has 1200 points; lottery lt-spring \(4 prizes, 50 points a draw\); menu: 5 buttons; alice accepted reminders \(TPL_ORDER_SHIPPED ×1, TPL_COUPON_EXPIRING ×1\)$/,
    );
    const alice = await cloud.invoke('member', { action: 'login' }, 'alice');
    expect(alice.data).toMatchObject({ followsMp: true, unionid: 'u-alice', points: 1200 });
    const bob = await cloud.invoke('member', { action: 'login' }, 'bob');
    expect(bob.data.followsMp).toBe(false);
    // A second dev start walks the followers again and changes nothing; the demo group is answered again, not opened.
    expect(await seedDemo(cloud.url)).toContain(summary.slice(summary.indexOf('demo group')));
    expect(await count('members')).toBe(2);
    expect(await count('orders')).toBe(1);
    expect(await count('groups', { state: 'open', paid: 1 })).toBe(1);
    expect((await cloud.invoke('member', { action: 'login' }, 'alice')).data).toEqual(alice.data);
    // alice's reminders: WeChat's count and the ledger agree, once, after both starts.
    expect((await cloud.client.grants.list('o-mini-alice')).grants).toEqual({ TPL_ORDER_SHIPPED: 1, TPL_COUPON_EXPIRING: 1 });
    expect(await count('subscribe_grants', { openid: 'o-mini-alice', remaining: 1 })).toBe(2);
  });
});
