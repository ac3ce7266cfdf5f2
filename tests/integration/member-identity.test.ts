import { describe, expect, it } from 'vitest';
import { type TestCloud, useCloud } from '../support/cloud';

const OTHER_APP = 'wx0ther000000000a';

describe('one member per person across apps (unionid binding and healing)', () => {
  const cloud = useCloud();

  const login = (as: Parameters<TestCloud['invoke']>[2]) => cloud.invoke('member', { action: 'login' }, as);
  const activeMembers = async () =>
    (
      await cloud
        .db()
        .collection('members')
        .where({ mergedInto: cloud.db().command.exists(false) })
        .get()
    ).data;

  it('keeps the member of a first login without unionid when the unionid arrives and nobody holds it', async () => {
    await cloud.client.personas.upsert({ name: 'erin', follows: false });
    const before = await login('erin');
    await cloud.client.personas.upsert({ name: 'erin', unionid: 'u-erin' });
    const after = await login('erin');
    expect(after.data._id).toBe(before.data._id);
    expect(after.data.unionid).toBe('u-erin');
    expect(await activeMembers()).toHaveLength(1);
  });

  it('merges when the unionid arrives later while points and coupons exist, once, and the old id keeps resolving', async () => {
    await cloud.client.personas.upsert({ name: 'dora', follows: false });
    const db = cloud.db();
    // The mini-program knew dora before her unionid: 50 points and a coupon.
    const early = (await login('dora')).data;
    await db
      .collection('members')
      .doc(early._id)
      .update({ data: { points: 50 } });
    await db.collection('coupons').add({ data: { _id: 'cp-1', memberId: early._id, state: 'usable' } });
    await db.collection('events').add({ data: { _id: 'ev-1', memberId: early._id, kind: 'visit', at: new Date() } });
    // Another app of the same Open Platform account met her with her unionid: 20 points there.
    const other = (await login({ openid: 'o-other-dora', appid: OTHER_APP, unionid: 'u-dora' })).data;
    expect(other._id).not.toBe(early._id);
    await db
      .collection('members')
      .doc(other._id)
      .update({ data: { points: 20 } });

    // Now the mini-program sees her unionid: the two members heal into one.
    await cloud.client.personas.upsert({ name: 'dora', unionid: 'u-dora' });
    const healed = (await login('dora')).data;
    expect(healed._id).toBe(other._id);
    expect(healed.points).toBe(70);
    expect(healed.unionid).toBe('u-dora');
    const coupon = (await db.collection('coupons').doc('cp-1').get()).data;
    expect(coupon.memberId).toBe(other._id);
    expect((await db.collection('events').doc('ev-1').get()).data.memberId).toBe(other._id);
    const old = (await db.collection('members').doc(early._id).get()).data;
    expect(old.mergedInto).toBe(other._id);
    expect(old.points).toBe(0);

    // Idempotent: logging in again (or a retried merge) moves nothing twice.
    const again = await Promise.all(Array.from({ length: 5 }, () => login('dora')));
    for (const result of again) expect(result.data).toMatchObject({ _id: other._id, points: 70 });
    expect(await activeMembers()).toHaveLength(1);
    const identities = (await db.collection('identities').get()).data as Array<{ memberId: string }>;
    expect(new Set(identities.map((i) => i.memberId))).toEqual(new Set([other._id]));
  });

  it('twenty concurrent first logins of one person with a unionid make one member', async () => {
    await cloud.client.personas.upsert({ name: 'fay', unionid: 'u-fay', follows: false });
    const results = await Promise.all(Array.from({ length: 20 }, () => login('fay')));
    expect(new Set(results.map((r) => r.data?._id ?? r.code)).size).toBe(1);
    const members = (await cloud.db().collection('members').get()).data;
    expect(members).toHaveLength(1);
  });

  it('concurrent first logins from two apps of one person (unionid known) meet on one member', async () => {
    await cloud.client.personas.upsert({ name: 'gus', unionid: 'u-gus', follows: false });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0 ? login('gus') : login({ openid: 'o-other-gus', appid: OTHER_APP, unionid: 'u-gus' }),
      ),
    );
    expect(new Set(results.map((r) => r.data?._id ?? r.code)).size).toBe(1);
    expect(
      await cloud
        .db()
        .collection('members')
        .get()
        .then((r: { data: unknown[] }) => r.data.length),
    ).toBe(1);
  });

  it('the unique index of the schema refuses a second document for one identity, whatever its _id', async () => {
    const member = (await login('alice')).data;
    const db = cloud.db();
    const duplicate = {
      kind: 'app',
      appid: cloud.emulator.ctx.options.appid,
      openid: 'o-mini-alice',
      memberId: 'someone-else',
      createdAt: new Date(),
    };
    const error = await db
      .collection('identities')
      .add({ data: { _id: 'not-the-usual-key', ...duplicate } })
      .catch((e: unknown) => e);
    expect(String((error as { errMsg?: string }).errMsg ?? error)).toMatch(
      /E11000 duplicate key error collection: identities index: identity_unique/,
    );
    const unionDuplicate = await db
      .collection('identities')
      .add({ data: { _id: 'another-key', kind: 'unionid', unionid: 'u-alice', memberId: 'someone-else', createdAt: new Date() } })
      .catch((e: unknown) => e);
    expect(String((unionDuplicate as { errMsg?: string }).errMsg ?? unionDuplicate)).toMatch(/identity_unique/);
    expect((await login('alice')).data._id).toBe(member._id);
  });
});
