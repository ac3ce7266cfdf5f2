import { describe, expect, it } from 'vitest';
import type { Lease } from '../../core/lease';
import { useCloud } from '../support/cloud';

/**
 * The one lease (server/lease.ts) against the local cloud through the real SDK: the conditional
 * write decides among concurrent claimers; expiry is decided on the emulator's clock, which the
 * caller passes in as `now` (as every handler does).
 */
describe('lease', () => {
  const cloud = useCloud();

  async function lease() {
    cloud.db(); // points wx-server-sdk in this process at the local cloud before server/cloud.ts initialises it
    return import('../../server/lease');
  }
  const emulatorNow = async () => new Date((await cloud.control<{ now: string }>('GET', '/_emu/clock')).now);
  const advance = async (ms: number) => new Date((await cloud.control<{ now: string }>('POST', '/_emu/clock', { advanceMs: ms })).now);
  const stored = async (id: string) => (await cloud.db().collection('job_cursors').doc(id).get()).data;

  it('lets exactly one of twenty concurrent claimers hold it', async () => {
    const { takeLease } = await lease();
    await cloud
      .db()
      .collection('job_cursors')
      .add({ data: { _id: 'job-1', next: 0 } });
    const now = await emulatorNow();
    const results = await Promise.all(Array.from({ length: 20 }, () => takeLease('job_cursors', 'job-1', { now, durationMs: 30_000 })));
    const winners = results.filter((r): r is Lease => r !== null);
    expect(winners).toHaveLength(1);
    const doc = await stored('job-1');
    expect(doc.lease.holder).toBe(winners[0].holder);
    expect(new Date(doc.lease.until).getTime()).toBe(now.getTime() + 30_000);
    expect(doc.next).toBe(0);
  });

  it('stays held until its last millisecond, then passes to the next claimer when the emulator clock has moved on', async () => {
    const { takeLease } = await lease();
    await cloud
      .db()
      .collection('job_cursors')
      .add({ data: { _id: 'job-2' } });
    const t0 = await emulatorNow();
    const first = await takeLease('job_cursors', 'job-2', { now: t0, durationMs: 10_000 });
    expect(first).not.toBeNull();
    expect(await takeLease('job_cursors', 'job-2', { now: new Date(t0.getTime() + 9_999), durationMs: 10_000 })).toBeNull();
    // The local cloud's clock moves 10 s on (it also runs in real time, so "now" is at least that).
    const later = await advance(10_000);
    expect(later.getTime()).toBeGreaterThanOrEqual(t0.getTime() + 10_000);
    const second = await takeLease('job_cursors', 'job-2', { now: later, durationMs: 10_000 });
    expect(second).not.toBeNull();
    expect(second?.holder).not.toBe(first?.holder);
    expect((await stored('job-2')).lease.holder).toBe(second?.holder);
  });

  it('is released only by its holder, and a release lets the next claimer in at once', async () => {
    const { releaseLease, takeLease } = await lease();
    await cloud
      .db()
      .collection('job_cursors')
      .add({ data: { _id: 'job-3' } });
    const now = await emulatorNow();
    const held = (await takeLease('job_cursors', 'job-3', { now, durationMs: 60_000 })) as Lease;
    expect(await releaseLease('job_cursors', 'job-3', { holder: 'someone-else', until: held.until })).toBe(false);
    expect((await stored('job-3')).lease.holder).toBe(held.holder);
    expect(await releaseLease('job_cursors', 'job-3', held, { doneAt: now })).toBe(true);
    const doc = await stored('job-3');
    expect(doc.lease).toBeUndefined();
    expect(new Date(doc.doneAt).getTime()).toBe(now.getTime());
    expect(await takeLease('job_cursors', 'job-3', { now, durationMs: 60_000 })).not.toBeNull();
  });

  it('honours extra conditions and never leases a missing document', async () => {
    const { takeLease } = await lease();
    await cloud
      .db()
      .collection('job_cursors')
      .add({ data: { _id: 'job-4', doneAt: new Date() } });
    const now = await emulatorNow();
    const _ = cloud.db().command;
    expect(await takeLease('job_cursors', 'job-4', { now, durationMs: 1000, where: { doneAt: _.exists(false) } })).toBeNull();
    expect((await stored('job-4')).lease).toBeUndefined();
    expect(await takeLease('job_cursors', 'no-such-job', { now, durationMs: 1000 })).toBeNull();
    expect((await cloud.db().collection('job_cursors').where({ _id: 'no-such-job' }).count()).total).toBe(0);
  });
});
