import { describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';

describe('member.login through the real SDK on the local cloud', () => {
  const cloud = useCloud();

  it('creates the member on first login and finds the same one afterwards', async () => {
    const first = await cloud.invoke('member', { action: 'login' }, 'alice');
    expect(first.ok).toBe(true);
    expect(first.data._id).toMatch(/^[0-9a-f]{32}$/);
    expect(first.data.points).toBe(0);
    const again = await cloud.invoke('member', { action: 'login' }, 'alice');
    expect(again.data._id).toBe(first.data._id);
    const other = await cloud.invoke('member', { action: 'login' }, 'bob');
    expect(other.data._id).not.toBe(first.data._id);
  });

  it('twenty concurrent first logins of one person make exactly one member', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => cloud.invoke('member', { action: 'login' }, 'carol')));
    const ids = new Set(results.map((r) => (r.ok ? r.data._id : `error:${r.code}`)));
    expect([...ids]).toHaveLength(1);
    const db = cloud.db();
    const members = await db.collection('members').count();
    const identities = await db.collection('identities').count();
    expect(members.total).toBe(1);
    expect(identities.total).toBe(1);
  });

  it('refuses a caller without an OPENID with UNAUTHENTICATED and a Chinese message', async () => {
    const result = await cloud.invoke('member', { action: 'login' });
    expect(result).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(result.message).toMatch(/[\u4e00-\u9fff]/);
    expect((await cloud.db().collection('members').count()).total).toBe(0);
  });

  it('refuses unknown actions and unexpected params with INVALID_ARGUMENT', async () => {
    expect(await cloud.invoke('member', { action: 'nope' }, 'alice')).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await cloud.invoke('member', { action: 'login', openid: 'someone-else' }, 'alice')).toMatchObject({
      ok: false,
      code: 'INVALID_ARGUMENT',
    });
    expect((await cloud.db().collection('members').count()).total).toBe(0);
  });

  it('turns an unexpected database failure into INTERNAL with the request id', async () => {
    await cloud.client.faults.add('database.getDocument', { errCode: -501001, errMsg: 'injected' }, 1);
    const result = await cloud.invoke('member', { action: 'login' }, 'alice');
    expect(result).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(typeof result.requestId).toBe('string');
    expect(result.requestId.length).toBeGreaterThan(0);
    // The fault was spent on that login, which wrote nothing.
    expect(await cloud.client.faults.list()).toEqual({ faults: [] });
    expect((await cloud.db().collection('members').count()).total).toBe(0);
  });
});

describe('member.login database budget', () => {
  const cloud = useCloud();

  it('an existing member logs in with two database reads and no writes', async () => {
    await cloud.invoke('member', { action: 'login' }, 'alice');
    await cloud.invoke('member', { action: 'login' }, 'carol');
    for (const persona of ['alice', 'carol']) {
      const before = (await cloud.client.stats()).counts;
      await cloud.invoke('member', { action: 'login' }, persona);
      const after = (await cloud.client.stats()).counts;
      const delta = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);
      const databaseCalls = Object.keys(after)
        .filter((key) => key.startsWith('database.'))
        .reduce((sum, key) => sum + delta(key), 0);
      expect({ persona, reads: delta('database.getDocument'), total: databaseCalls }).toEqual({ persona, reads: 2, total: 2 });
    }
  });
});
