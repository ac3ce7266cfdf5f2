import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLAIM_REFUSAL_MESSAGES, type ClaimRefusal } from '../../core/coupon/claim-decision';
import * as couponService from '../services/coupon';
import { CloudCallError } from '../services/errors';
import { couponView, SERVER_TIME, templateCard } from './coupon-fixtures';
import { anyThrown, deferred, shownMessageOf } from './test-support';
import { CLAIM_RETRY_DELAYS_MS, centerKey, useCouponCenterStore } from './useCouponCenterStore';

vi.mock('../services/coupon', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../services/coupon')>()),
  center: vi.fn(),
  claim: vi.fn(),
}));

const center = vi.mocked(couponService.center);
const claim = vi.mocked(couponService.claim);

type CenterAnswer = Awaited<ReturnType<typeof couponService.center>>;
type ClaimAnswer = Awaited<ReturnType<typeof couponService.claim>>;

const spring = { id: 'cmp-spring', name: '春季会员节' };
const t9920 = templateCard();
const tNew = templateCard({
  templateId: 'tpl-new',
  name: '新人专享券',
  terms: { kind: 'no_threshold', amountOff: 1000 },
  perMemberLimit: 1,
});
const centerAnswer = (templates = [t9920, tNew], campaign: CenterAnswer['campaign'] = spring): CenterAnswer => ({
  campaign,
  templates,
  serverTime: SERVER_TIME,
});
const claimAnswer = (overrides: Partial<ClaimAnswer> = {}): ClaimAnswer => ({
  coupon: couponView(),
  template: { ...t9920, claimedByMe: 1, stockLeft: 799 },
  repeated: false,
  ...overrides,
});
const unavailable = () => new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试');
const refusal = (reason: ClaimRefusal) =>
  new CloudCallError(
    reason === 'not_eligible' ? 'PERMISSION_DENIED' : 'FAILED_PRECONDITION',
    CLAIM_REFUSAL_MESSAGES[reason],
    'req-1',
    reason,
  );

const store = () => useCouponCenterStore.getState();
const shown = (campaign?: string) => store().centers[centerKey(campaign)];
const templateIn = (campaign: string | undefined, id: string) => shown(campaign)?.templates.find((t) => t.templateId === id);

async function loaded(campaign?: string, answer = centerAnswer()) {
  center.mockResolvedValueOnce(answer);
  await store().load(campaign);
}

beforeEach(() => {
  center.mockReset();
  claim.mockReset();
  useCouponCenterStore.setState(useCouponCenterStore.getInitialState(), true);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('useCouponCenterStore.load', () => {
  it('goes loading, then ready with the campaign, its templates and the server time', async () => {
    const answer = deferred<CenterAnswer>();
    center.mockReturnValueOnce(answer.promise);
    const done = store().load('cmp-spring');
    expect(center).toHaveBeenCalledWith('cmp-spring');
    expect(shown('cmp-spring')).toMatchObject({ status: 'loading', error: null });
    answer.resolve(centerAnswer());
    await done;
    expect(shown('cmp-spring')).toMatchObject({ status: 'ready', campaign: spring, templates: [t9920, tNew], serverTime: SERVER_TIME });
  });

  it('keeps the storefront and a campaign side by side', async () => {
    await loaded(undefined, centerAnswer([tNew], null));
    await loaded('cmp-spring', centerAnswer([t9920]));
    expect(center).toHaveBeenNthCalledWith(1, undefined);
    expect(shown()?.templates).toEqual([tNew]);
    expect(shown()?.campaign).toBeNull();
    expect(shown('cmp-spring')?.templates).toEqual([t9920]);
  });

  it('a refresh keeps the shown coupons on screen until the answer comes', async () => {
    await loaded('cmp-spring');
    const answer = deferred<CenterAnswer>();
    center.mockReturnValueOnce(answer.promise);
    const refresh = store().load('cmp-spring');
    expect(shown('cmp-spring')).toMatchObject({ status: 'ready', templates: [t9920, tNew] });
    answer.resolve(centerAnswer([t9920]));
    await refresh;
    expect(shown('cmp-spring')?.templates).toEqual([t9920]);
  });

  it('shows the message of any refusal, and the network message for anything else thrown', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await fc.assert(
        fc.asyncProperty(anyThrown, async (thrown) => {
          useCouponCenterStore.setState(useCouponCenterStore.getInitialState(), true);
          center.mockRejectedValueOnce(thrown);
          await store().load('cmp-spring');
          expect(shown('cmp-spring')).toMatchObject({ status: 'error', error: shownMessageOf(thrown) });
        }),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('drops the late answer of an older load', async () => {
    const first = deferred<CenterAnswer>();
    center.mockReturnValueOnce(first.promise).mockResolvedValueOnce(centerAnswer([tNew]));
    const older = store().load('cmp-spring');
    await store().load('cmp-spring');
    first.resolve(centerAnswer([t9920]));
    await older;
    expect(shown('cmp-spring')?.templates).toEqual([tNew]);
  });
});

describe('useCouponCenterStore.claim', () => {
  it('shows loading while in flight, ignores a second tap, then shows the state the server answered', async () => {
    await loaded('cmp-spring');
    const answer = deferred<ClaimAnswer>();
    claim.mockReturnValueOnce(answer.promise);
    const first = store().claim('tpl-99-20');
    expect(store().claiming['tpl-99-20']).toBe(true);
    // No optimistic UI: the card is unchanged until the server answers.
    expect(templateIn('cmp-spring', 'tpl-99-20')).toEqual(t9920);
    expect(await store().claim('tpl-99-20')).toEqual({ kind: 'busy' });
    expect(claim).toHaveBeenCalledTimes(1);
    const claimed = claimAnswer({ template: { ...t9920, claimedByMe: 2, stockLeft: 798, state: 'claimed' } });
    answer.resolve(claimed);
    expect(await first).toEqual({ kind: 'claimed', coupon: claimed.coupon, repeated: false });
    expect(store().claiming['tpl-99-20']).toBeUndefined();
    expect(templateIn('cmp-spring', 'tpl-99-20')).toMatchObject({ state: 'claimed', claimedByMe: 2, stockLeft: 798 });
    expect(templateIn('cmp-spring', 'tpl-new')).toEqual(tNew);
  });

  it('updates every center that lists the template', async () => {
    await loaded(undefined, centerAnswer([t9920], null));
    await loaded('cmp-spring');
    claim.mockResolvedValueOnce(claimAnswer({ template: { ...t9920, state: 'claimed' } }));
    await store().claim('tpl-99-20');
    expect(templateIn(undefined, 'tpl-99-20')?.state).toBe('claimed');
    expect(templateIn('cmp-spring', 'tpl-99-20')?.state).toBe('claimed');
  });

  it('sends a fresh requestId of at least 16 [a-z0-9] for every tap', async () => {
    await loaded('cmp-spring');
    claim.mockResolvedValue(claimAnswer());
    await store().claim('tpl-99-20');
    await store().claim('tpl-99-20');
    const [first, second] = claim.mock.calls.map(([, requestId]) => requestId);
    expect(first).toMatch(/^[a-z0-9]{16,64}$/);
    expect(second).toMatch(/^[a-z0-9]{16,64}$/);
    expect(second).not.toBe(first);
  });

  it('retries a call that got no answer with the same requestId', async () => {
    vi.useFakeTimers();
    await loaded('cmp-spring');
    claim.mockRejectedValueOnce(unavailable()).mockResolvedValueOnce(claimAnswer({ repeated: true }));
    const done = store().claim('tpl-99-20');
    await vi.advanceTimersByTimeAsync(CLAIM_RETRY_DELAYS_MS[0]);
    expect(await done).toMatchObject({ kind: 'claimed', repeated: true });
    expect(claim).toHaveBeenCalledTimes(2);
    expect(claim.mock.calls[1]).toEqual(claim.mock.calls[0]);
    expect(store().claiming).toEqual({});
  });

  it('when no attempt is answered, says so, keeps the card, and the next tap resends the same requestId', async () => {
    vi.useFakeTimers();
    await loaded('cmp-spring');
    claim.mockRejectedValue(unavailable());
    const done = store().claim('tpl-99-20');
    for (const delay of CLAIM_RETRY_DELAYS_MS) await vi.advanceTimersByTimeAsync(delay);
    expect(await done).toEqual({ kind: 'failed', message: '服务繁忙，请稍后重试' });
    expect(claim).toHaveBeenCalledTimes(1 + CLAIM_RETRY_DELAYS_MS.length);
    expect(templateIn('cmp-spring', 'tpl-99-20')).toEqual(t9920);
    expect(store().claiming).toEqual({});
    const firstId = claim.mock.calls[0][1];

    // The member taps again: maybe the first call did issue a coupon, so the server must see the same key.
    claim.mockReset();
    claim.mockResolvedValueOnce(claimAnswer({ repeated: true })).mockResolvedValueOnce(claimAnswer());
    expect(await store().claim('tpl-99-20')).toMatchObject({ kind: 'claimed', repeated: true });
    expect(claim.mock.calls[0][1]).toBe(firstId);
    // Answered: the tap after that is a new claim.
    await store().claim('tpl-99-20');
    expect(claim.mock.calls[1][1]).not.toBe(firstId);
  });

  it('a refusal sets the card from its reason and passes on the server’s Chinese message', async () => {
    const expected: Record<ClaimRefusal, string> = {
      sold_out: 'sold_out',
      limit_reached: 'claimed',
      not_started: 'not_started',
      ended: 'ended',
      not_eligible: 'not_eligible',
      paused: 'paused',
    };
    for (const reason of Object.keys(expected) as ClaimRefusal[]) {
      useCouponCenterStore.setState(useCouponCenterStore.getInitialState(), true);
      await loaded('cmp-spring');
      claim.mockRejectedValueOnce(refusal(reason));
      const outcome = await store().claim('tpl-99-20');
      expect(outcome).toEqual({ kind: 'refused', message: CLAIM_REFUSAL_MESSAGES[reason], state: expected[reason] });
      expect(templateIn('cmp-spring', 'tpl-99-20')?.state).toBe(expected[reason]);
      expect(store().claiming).toEqual({});
      expect(claim).toHaveBeenCalledTimes(1);
      claim.mockReset();
    }
  });

  it('any other failure keeps the card as it was, shows the message, and the next tap is a new claim', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc
              .constantFrom('INTERNAL', 'PERMISSION_DENIED', 'NOT_FOUND', 'INVALID_ARGUMENT')
              .map((code) => new CloudCallError(code, '出错了')),
            // A reason the app does not know is no state to show.
            fc
              .constantFrom('constructor', 'toString', 'expired', '')
              .map((reason) => new CloudCallError('FAILED_PRECONDITION', '不可领取', undefined, reason)),
          ),
          async (thrown) => {
            useCouponCenterStore.setState(useCouponCenterStore.getInitialState(), true);
            claim.mockReset();
            await loaded('cmp-spring');
            claim.mockRejectedValueOnce(thrown).mockResolvedValueOnce(claimAnswer());
            expect(await store().claim('tpl-99-20')).toEqual({ kind: 'failed', message: thrown.message });
            expect(templateIn('cmp-spring', 'tpl-99-20')).toEqual(t9920);
            await store().claim('tpl-99-20');
            expect(claim.mock.calls[1][1]).not.toBe(claim.mock.calls[0][1]);
          },
        ),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('claims of two cards run independently', async () => {
    await loaded('cmp-spring');
    const a = deferred<ClaimAnswer>();
    const b = deferred<ClaimAnswer>();
    claim.mockReturnValueOnce(a.promise).mockReturnValueOnce(b.promise);
    const first = store().claim('tpl-99-20');
    const second = store().claim('tpl-new');
    expect(store().claiming).toEqual({ 'tpl-99-20': true, 'tpl-new': true });
    b.resolve(claimAnswer({ template: { ...tNew, state: 'claimed' } }));
    await second;
    expect(store().claiming).toEqual({ 'tpl-99-20': true });
    a.resolve(claimAnswer());
    await first;
    expect(store().claiming).toEqual({});
    expect(templateIn('cmp-spring', 'tpl-new')?.state).toBe('claimed');
  });
});
