import { describe, expect, it } from 'vitest';
import { type TestCloud, useCloud } from '../support/cloud';

const OTHER_APP = 'wx0ther000000000a';

/**
 * A merge is a convergent process: whatever lands on the merged-away member while (or after) it
 * runs is moved by the scheduler's sweep, balances move zeroing their source, the follow state of
 * the later push wins, and an admin stays an admin.
 */
describe('member merges strand nothing', () => {
  const cloud = useCloud();
  const login = (as: Parameters<TestCloud['invoke']>[2]) => cloud.invoke('member', { action: 'login' }, as);
  const memberDoc = async (id: string) => (await cloud.db().collection('members').doc(id).get()).data;
  const tick = () => cloud.control<any>('POST', '/_emu/triggers/scheduler/fire');

  /** dora known by the mini-program without a unionid, and by another app with it: two members. */
  async function twoMembersOfDora() {
    await cloud.client.personas.upsert({ name: 'dora', follows: false });
    const early = (await login('dora')).data;
    const other = (await login({ openid: 'o-other-dora', appid: OTHER_APP, unionid: 'u-dora' })).data;
    expect(other._id).not.toBe(early._id);
    await cloud.client.personas.upsert({ name: 'dora', unionid: 'u-dora' });
    return { early: early._id as string, other: other._id as string };
  }

  it('points and coupons written to the old member during the merge all end on the survivor', async () => {
    const { early, other } = await twoMembersOfDora();
    const db = cloud.db();
    const _ = db.command;
    // The merge (a login that sees the unionid) races 20 point grants and 15 coupons for the old id.
    await Promise.all([
      login('dora'),
      ...Array.from({ length: 20 }, () =>
        db
          .collection('members')
          .doc(early)
          .update({ data: { points: _.inc(10) } }),
      ),
      ...Array.from({ length: 15 }, (_unused, i) =>
        db.collection('coupons').add({ data: { _id: `cp-${i}`, memberId: early, state: 'usable' } }),
      ),
    ]);
    // Whatever landed after the login's moves, the sweep moves: at once, and again until settled.
    const sweep = (await tick()).result.data.jobs.find((job: any) => job.name === 'settleMerges');
    expect(sweep.result.swept).toBeGreaterThanOrEqual(1);
    expect((await memberDoc(early)).points).toBe(0);
    expect((await memberDoc(other)).points).toBe(200);
    expect((await db.collection('coupons').where({ memberId: early }).count()).total).toBe(0);
    expect((await db.collection('coupons').where({ memberId: other }).count()).total).toBe(15);

    // A straggler after the sweep is moved by the next one; after the settle window the merge is settled.
    await db
      .collection('members')
      .doc(early)
      .update({ data: { points: _.inc(5) } });
    await cloud.control('POST', '/_emu/clock', { advanceMs: 11 * 60_000 });
    await tick();
    expect((await memberDoc(early)).points).toBe(0);
    expect((await memberDoc(other)).points).toBe(205);
    expect((await memberDoc(early)).mergeSettledAt).toBeDefined();
    const quiet = (await tick()).result.data.jobs.find((job: any) => job.name === 'settleMerges');
    expect(quiet.result).toEqual({ swept: 0, settled: 0 });
  });

  it('a merge never undoes an unsubscribe the survivor received later (latest push wins, not OR)', async () => {
    const { early, other } = await twoMembersOfDora();
    const db = cloud.db();
    await db
      .collection('members')
      .doc(early)
      .update({
        data: { followsMp: true, followedAt: new Date('2030-01-01T00:00:00Z'), mpFollowStateAt: new Date('2030-01-01T00:00:00Z') },
      });
    await db
      .collection('members')
      .doc(other)
      .update({
        data: { followsMp: false, unfollowedAt: new Date('2030-01-02T00:00:00Z'), mpFollowStateAt: new Date('2030-01-02T00:00:00Z') },
      });
    const healed = (await login('dora')).data;
    expect(healed._id).toBe(other);
    expect(healed.followsMp).toBe(false);
    await tick();
    expect((await memberDoc(other)).followsMp).toBe(false);
  });

  it('an admin stays an admin when their members merge', async () => {
    const { early, other } = await twoMembersOfDora();
    expect((await cloud.invoke('admin', { action: 'addAdmin', memberId: early })).ok).toBe(true);
    await login('dora');
    expect((await memberDoc(early)).mergedInto).toBe(other);
    // dora runs a console job from the mini-program as the member she is now.
    const listed = await cloud.invoke('admin', { action: 'listFailedPushes' }, 'dora');
    expect(listed).toMatchObject({ ok: true, data: { pushes: [] } });
  });
});
