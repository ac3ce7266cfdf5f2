import { describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { memberIdOf } from '../support/points';
import {
  dispatch,
  ledgerGrant,
  noticesOf,
  paidData,
  startKillable,
  subscribeMessages,
  wechatGrants,
  writeLedgerGrant,
  writeNotices,
} from '../support/notices';

/**
 * A dispatcher killed mid-batch: the run is a child process (the real SDK against this local
 * cloud) killed with SIGKILL, so it dies holding a claimed batch. A latency fault on every update
 * widens the gap between a message reaching WeChat and the run recording it, and the kill lands in
 * it: a message out but not recorded, sends begun, notices never started. Once the lease runs out
 * the next tick must finish the batch without sending any notice twice.
 */
describe('notices: a dispatcher killed mid-batch', () => {
  const cloud = useCloud();
  const PAID = 'TPL_ORDER_PAID';

  it('the next tick finishes the batch; nothing is sent twice', async () => {
    await cloud.client.clock.set('2026-12-03T02:00:00.000Z');
    const bob = await memberIdOf(cloud, 'bob');
    for (let i = 0; i < 8; i += 1) await cloud.client.grants.add({ openid: 'o-mini-bob', templateIds: [PAID], result: 'accept' });
    await writeLedgerGrant(cloud, 'o-mini-bob', bob, PAID, 8);
    const keys = Array.from({ length: 8 }, (_, i) => `K-${i}`);
    await writeNotices(
      cloud,
      keys.map((key) => ({ kind: 'order.paid', key, memberId: bob, data: paidData(key) })),
    );
    // Each claim, send marker, grant take and outcome waits half a second.
    await cloud.client.faults.delay('database.modifyDocument', 500, 60);

    const run = await startKillable(cloud, 'dispatch', '2');
    // Kill it as the second message is out: its outcome is then still waiting to be written.
    await run.killWhen(async () => (await subscribeMessages(cloud)).length >= 2);

    const cut = await noticesOf(cloud);
    const before = new Map(cut.map((n) => [n._id, n]));
    const out = new Set((await subscribeMessages(cloud)).map((m) => m.request.data.character_string3.value));
    // The kill hit the gap: a message out whose notice still says `sending`.
    expect(
      cut.some((n) => n.state === 'sending' && n.sendStartedAt && out.has(n.data.orderId)),
      JSON.stringify(cut.map((n) => [n.state, !!n.sendStartedAt, out.has(n.data.orderId)])),
    ).toBe(true);
    expect(cut.some((n) => n.state === 'sending' && !n.sendStartedAt)).toBe(true);
    // Nothing happens to the dead run's notices while its lease lasts.
    expect(await dispatch(cloud)).toMatchObject({ claimed: 0 });

    await cloud.client.clock.advance(2 * 60_000);
    const report = await dispatch(cloud);
    expect(report.claimed).toBe(cut.filter((n) => n.state === 'sending').length);

    const after = await noticesOf(cloud);
    expect(after.filter((n) => !['sent', 'skipped'].includes(n.state))).toEqual([]);
    // Give the kill's abandoned sends time to show up in the outbox, if the local cloud still made them.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const messages = await subscribeMessages(cloud);
    const perOrder = new Map<string, number>();
    for (const message of messages) {
      const order = message.request.data.character_string3.value;
      perOrder.set(order, (perOrder.get(order) ?? 0) + 1);
    }
    expect(Math.max(...perOrder.values())).toBe(1);
    for (const notice of after) {
      const was = before.get(notice._id);
      const delivered = perOrder.get(notice.data.orderId) ?? 0;
      if (notice.state === 'sent') expect(delivered, notice._id).toBe(1);
      // A send the dead run began may have arrived: at most once, so it is never tried again.
      else expect(notice, notice._id).toMatchObject({ state: 'skipped', reason: 'unconfirmed' });
      // What the dead run never began, the next tick sent.
      if (was.state === 'sending' && !was.sendStartedAt) expect(notice.state, notice._id).toBe('sent');
    }
    // Every message WeChat delivered used one of its grants; none was used for nothing.
    expect(messages.length + (await wechatGrants(cloud, 'o-mini-bob', PAID))).toBe(8);
    expect((await ledgerGrant(cloud, 'o-mini-bob', PAID)).remaining).toBeGreaterThanOrEqual(0);
  });
});
