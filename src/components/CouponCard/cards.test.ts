import { describe, expect, it, vi } from 'vitest';
import { TEMPLATE_STATES } from '../../../core/contracts/coupon';
import { couponView, SERVER_TIME, templateCard } from '../../stores/coupon-fixtures';
import { couponCardProps, couponValidityText, isLowStock, templateCardProps } from './cards';

const options = { serverTime: SERVER_TIME, claiming: false, onClaim: () => undefined };

describe('templateCardProps', () => {
  it('an open template has 立即领取, loading while its claim is in flight', () => {
    const onClaim = vi.fn();
    expect(templateCardProps(templateCard(), { ...options, onClaim }).action).toEqual({
      label: '立即领取',
      onClick: onClaim,
      loading: false,
    });
    expect(templateCardProps(templateCard(), { ...options, claiming: true }).action?.loading).toBe(true);
  });

  it('every other state is a quiet button that says why', () => {
    const labels = Object.fromEntries(
      TEMPLATE_STATES.filter((s) => s !== 'available').map((state) => [state, templateCardProps(templateCard({ state }), options).action]),
    );
    expect(labels).toEqual({
      claimed: { label: '已领取', disabled: true },
      sold_out: { label: '已抢光', disabled: true },
      not_started: { label: '未开始', disabled: true },
      ended: { label: '已结束', disabled: true },
      not_eligible: { label: '不符合条件', disabled: true },
      paused: { label: '暂停领取', disabled: true },
    });
  });

  it('mentions the stock left only when it is low and the coupon can still be claimed', () => {
    expect(templateCardProps(templateCard({ stockLeft: 12, totalStock: 1000 }), options).note).toBe('剩余 12 张');
    expect(templateCardProps(templateCard({ stockLeft: 800, totalStock: 1000 }), options).note).toBeNull();
    expect(templateCardProps(templateCard({ stockLeft: 12, state: 'claimed' }), options).note).toBeNull();
    expect(isLowStock({ stockLeft: 90, totalStock: 1000 })).toBe(true);
    expect(isLowStock({ stockLeft: 0, totalStock: 1000 })).toBe(false);
  });

  it('words the validity as before a claim', () => {
    expect(templateCardProps(templateCard(), options).validity).toBe('领取后7天内有效');
    const fixed = templateCard({ validity: { type: 'fixed', startsAt: '2026-12-01T00:00:00.000Z', endsAt: '2026-12-31T15:59:59.999Z' } });
    expect(templateCardProps(fixed, options).validity).toBe('有效期至12月31日');
  });
});

describe('couponCardProps', () => {
  it('a usable coupon has 去使用 and its expiry date on the Shanghai calendar', () => {
    const onUse = vi.fn();
    const props = couponCardProps(couponView({ expiringSoon: true }), { serverTime: SERVER_TIME, onUse });
    expect(props).toMatchObject({ validity: '有效期至12月10日', expiringSoon: true, action: { label: '去使用', onClick: onUse } });
    expect(props.stamp).toBeUndefined();
  });

  it('used and expired coupons are stamped, with no button', () => {
    const used = couponCardProps(couponView({ state: 'used', usedAt: '2026-12-02T03:00:00.000Z' }), {
      serverTime: SERVER_TIME,
      onUse: vi.fn(),
    });
    expect(used).toMatchObject({ stamp: '已使用', validity: '已于12月2日使用' });
    expect(used.action).toBeUndefined();
    const expired = couponCardProps(couponView({ state: 'expired', expiringSoon: true }), { serverTime: SERVER_TIME, onUse: vi.fn() });
    expect(expired).toMatchObject({ stamp: '已过期' });
    expect(expired.expiringSoon).toBeUndefined();
  });

  it('a coupon held by an unpaid order says so instead of offering 去使用', () => {
    const locked = couponCardProps(couponView({ state: 'locked' }), { serverTime: SERVER_TIME, onUse: vi.fn() });
    expect(locked).toMatchObject({ note: '待支付订单使用中' });
    expect(locked.action).toBeUndefined();
  });

  it('a coupon not valid yet shows from when', () => {
    const later = { validFrom: '2026-12-05T00:00:00.000Z', validUntil: '2027-01-05T15:59:59.999Z' };
    expect(couponValidityText(later, SERVER_TIME)).toBe('12月5日 - 2027年1月5日');
  });
});
