import { beforeEach, describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';
import { templateInput } from '../support/coupons';
import { couponServer } from '../support/server';

/**
 * The checkout side of a coupon (lockCoupon, consumeCoupon, releaseCoupon) has no cloud function
 * action yet: the orders issue will call it. These tests run the server code itself in the test
 * process, through the real wx-server-sdk against the local cloud (tests/support/server.ts), on
 * coupons claimed through the `coupon` function.
 */
describe('coupon checkout: lock, consume, release', () => {
  const cloud = useCloud();
  const NOW = '2026-12-03T02:00:00.000Z';
  const DAY = 24 * 3600_000;

  beforeEach(async () => {
    await cloud.client.clock.set(NOW);
  });

  const now = async () => new Date((await cloud.client.clock.get()).now);
  const couponDoc = async (id: string) => (await cloud.db().collection('coupons').doc(id).get()).data;

  /** alice's one coupon of a fresh 7-day template, claimed through the coupon function. */
  async function aliceCoupon(): Promise<{ couponId: string; memberId: string }> {
    const made = await cloud.invoke('couponAdmin', { action: 'createCouponTemplate', id: 'tpl-checkout', template: templateInput() });
    expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
    await cloud.invoke('member', { action: 'login' }, 'alice');
    const claimed = await cloud.invoke('coupon', { action: 'claim', templateId: 'tpl-checkout', requestId: 'req-checkout-01' }, 'alice');
    expect(claimed, JSON.stringify(claimed)).toMatchObject({ ok: true });
    const coupon = await couponDoc(claimed.data.coupon.couponId);
    expect(coupon).toMatchObject({ state: 'usable', orderId: null });
    return { couponId: coupon._id, memberId: coupon.memberId };
  }

  /** The refusal a rejected lock carried: code and reason. */
  const refusalOf = (outcome: PromiseSettledResult<unknown>) => {
    expect(outcome.status).toBe('rejected');
    const error = (outcome as PromiseRejectedResult).reason;
    return { code: error.code, reason: error.refusal?.reason };
  };

  it('two concurrent locks of one coupon for two orders: exactly one wins, the other is refused as locked', async () => {
    const server = await couponServer(cloud);
    const { couponId, memberId } = await aliceCoupon();
    const at = await now();
    const outcomes = await Promise.allSettled(
      ['order-a', 'order-b'].map((orderId) => server.lockCoupon({ couponId, memberId, orderId }, at)),
    );
    const won = outcomes.findIndex((outcome) => outcome.status === 'fulfilled');
    expect(won).not.toBe(-1);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(refusalOf(outcomes[1 - won])).toEqual({ code: 'FAILED_PRECONDITION', reason: 'locked' });
    expect(await couponDoc(couponId)).toMatchObject({ state: 'locked', orderId: ['order-a', 'order-b'][won] });
  });

  it('20 concurrent locks of one coupon for 20 orders: exactly one holds it', async () => {
    const server = await couponServer(cloud);
    const { couponId, memberId } = await aliceCoupon();
    const at = await now();
    const orders = Array.from({ length: 20 }, (_, i) => `order-${i}`);
    const outcomes = await Promise.allSettled(orders.map((orderId) => server.lockCoupon({ couponId, memberId, orderId }, at)));
    const winners = orders.filter((_, i) => outcomes[i].status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect(refusalOf(outcome)).toEqual({ code: 'FAILED_PRECONDITION', reason: 'locked' });
    }
    expect(await couponDoc(couponId)).toMatchObject({ state: 'locked', orderId: winners[0] });
  });

  it('lock → release → lock again for another order works; the first order can no longer release it', async () => {
    const server = await couponServer(cloud);
    const { couponId, memberId } = await aliceCoupon();
    await server.lockCoupon({ couponId, memberId, orderId: 'order-1' }, await now());
    expect(await server.releaseCoupon({ couponId, orderId: 'order-1' }, await now())).toBe(true);
    expect(await couponDoc(couponId)).toMatchObject({ state: 'usable', orderId: null });
    // Released any number of times, it gives back once.
    expect(await server.releaseCoupon({ couponId, orderId: 'order-1' }, await now())).toBe(false);

    await server.lockCoupon({ couponId, memberId, orderId: 'order-2' }, await now());
    expect(await couponDoc(couponId)).toMatchObject({ state: 'locked', orderId: 'order-2' });
    // A late cancel of order-1 must not free the coupon order-2 holds.
    expect(await server.releaseCoupon({ couponId, orderId: 'order-1' }, await now())).toBe(false);
    expect(await couponDoc(couponId)).toMatchObject({ state: 'locked', orderId: 'order-2' });
  });

  it('locking twice for the same order is fine and keeps the first lock', async () => {
    const server = await couponServer(cloud);
    const { couponId, memberId } = await aliceCoupon();
    const first = await now();
    await server.lockCoupon({ couponId, memberId, orderId: 'order-1' }, first);
    await cloud.client.clock.advance(60_000);
    await expect(server.lockCoupon({ couponId, memberId, orderId: 'order-1' }, await now())).resolves.toBeUndefined();
    const coupon = await couponDoc(couponId);
    expect(coupon).toMatchObject({ state: 'locked', orderId: 'order-1' });
    expect(new Date(coupon.lockedAt).toISOString()).toBe(first.toISOString());
  });

  it('consume twice: one used coupon, no error; another order cannot consume it; release after consume changes nothing', async () => {
    const server = await couponServer(cloud);
    const { couponId, memberId } = await aliceCoupon();
    await server.lockCoupon({ couponId, memberId, orderId: 'order-1' }, await now());
    const paidAt = await now();
    await server.consumeCoupon({ couponId, orderId: 'order-1' }, paidAt);
    await cloud.client.clock.advance(60_000);
    // The pay callback delivered again.
    await expect(server.consumeCoupon({ couponId, orderId: 'order-1' }, await now())).resolves.toBeUndefined();
    const used = await couponDoc(couponId);
    expect(used).toMatchObject({ state: 'used', orderId: 'order-1' });
    expect(new Date(used.usedAt).toISOString()).toBe(paidAt.toISOString());
    expect((await cloud.db().collection('coupons').where({ memberId, state: 'used' }).count()).total).toBe(1);

    await expect(server.consumeCoupon({ couponId, orderId: 'order-2' }, await now())).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    expect(await server.releaseCoupon({ couponId, orderId: 'order-1' }, await now())).toBe(false);
    await expect(server.lockCoupon({ couponId, memberId, orderId: 'order-3' }, await now())).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      refusal: { reason: 'used' },
    });
    expect(await couponDoc(couponId)).toMatchObject({ state: 'used', orderId: 'order-1', usedAt: used.usedAt });
  });

  it('a payment and a cancel of one order racing: the coupon ends used or back in the wallet, never both', async () => {
    const server = await couponServer(cloud);
    const { couponId, memberId } = await aliceCoupon();
    await server.lockCoupon({ couponId, memberId, orderId: 'order-1' }, await now());
    const at = await now();
    const [consumed, released] = await Promise.allSettled([
      server.consumeCoupon({ couponId, orderId: 'order-1' }, at),
      server.releaseCoupon({ couponId, orderId: 'order-1' }, at),
    ]);
    const coupon = await couponDoc(couponId);
    if (consumed.status === 'fulfilled') {
      expect(released).toEqual({ status: 'fulfilled', value: false });
      expect(coupon).toMatchObject({ state: 'used', orderId: 'order-1' });
    } else {
      expect(released).toEqual({ status: 'fulfilled', value: true });
      expect(consumed.reason).toMatchObject({ code: 'FAILED_PRECONDITION' });
      expect(coupon).toMatchObject({ state: 'usable', orderId: null });
    }
  });

  it('a coupon that was never locked is not consumed', async () => {
    const server = await couponServer(cloud);
    const { couponId } = await aliceCoupon();
    await expect(server.consumeCoupon({ couponId, orderId: 'order-1' }, await now())).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    expect(await couponDoc(couponId)).toMatchObject({ state: 'usable', orderId: null });
  });

  it('release of a coupon whose validity ended while its order was open: expired, not usable', async () => {
    const server = await couponServer(cloud);
    const { couponId, memberId } = await aliceCoupon();
    await server.lockCoupon({ couponId, memberId, orderId: 'order-1' }, await now());
    const { validUntil } = await couponDoc(couponId);
    await cloud.client.clock.set(new Date(new Date(validUntil).getTime() + DAY).toISOString());
    expect(await server.releaseCoupon({ couponId, orderId: 'order-1' }, await now())).toBe(true);
    const coupon = await couponDoc(couponId);
    expect(coupon).toMatchObject({ state: 'expired', orderId: null });
    expect(coupon.expiredAt).toBeTruthy();
    await expect(server.lockCoupon({ couponId, memberId, orderId: 'order-2' }, await now())).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      refusal: { reason: 'expired' },
    });
    expect(await couponDoc(couponId)).toMatchObject({ state: 'expired', orderId: null });
  });

  it('refuses a coupon past its validity, and another member’s coupon, without changing it', async () => {
    const server = await couponServer(cloud);
    const { couponId, memberId } = await aliceCoupon();
    await expect(server.lockCoupon({ couponId, memberId: 'someone-else', orderId: 'order-1' }, await now())).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await cloud.client.clock.advance(30 * DAY);
    await expect(server.lockCoupon({ couponId, memberId, orderId: 'order-1' }, await now())).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      refusal: { reason: 'expired' },
    });
    expect(await couponDoc(couponId)).toMatchObject({ state: 'usable', orderId: null });
  });
});
