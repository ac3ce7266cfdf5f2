import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudCallError } from '../services/errors';
import * as noticeService from '../services/notice';
import * as sheets from '../services/wechat-sheets';
import { deferred } from './test-support';
import { RECORD_RETRY_DELAYS_MS, useSubscribeAskStore } from './useSubscribeAskStore';

vi.mock('../services/notice', () => ({ askable: vi.fn(), recordGrants: vi.fn(), newRequestId: vi.fn() }));
vi.mock('../services/wechat-sheets', () => ({ requestSubscribe: vi.fn() }));

const askable = vi.mocked(noticeService.askable);
const recordGrants = vi.mocked(noticeService.recordGrants);
const newRequestId = vi.mocked(noticeService.newRequestId);
const requestSubscribe = vi.mocked(sheets.requestSubscribe);
type Askable = Awaited<ReturnType<typeof noticeService.askable>>;
type SheetResult = Awaited<ReturnType<typeof sheets.requestSubscribe>>;
const store = () => useSubscribeAskStore.getState();

const COUPON = { id: 'TPL_COUPON_EXPIRING', title: '优惠券到期提醒' };
const CAMPAIGN = { id: 'TPL_CAMPAIGN', title: '活动提醒' };
const SHIPPED = { id: 'TPL_ORDER_SHIPPED', title: '订单发货通知' };

async function loaded(templates = [COUPON, CAMPAIGN]) {
  askable.mockResolvedValueOnce({ templates });
  await store().load('claim');
}

beforeEach(() => {
  vi.resetAllMocks();
  useSubscribeAskStore.setState(useSubscribeAskStore.getInitialState(), true);
  let n = 0;
  newRequestId.mockImplementation(() => `req${String(++n).padStart(21, '0')}`);
  recordGrants.mockResolvedValue({ grants: [] });
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('useSubscribeAskStore: preloading', () => {
  it('reads the templates of the moment before any tap, and is loading meanwhile', async () => {
    const pending = deferred<Askable>();
    askable.mockReturnValueOnce(pending.promise);
    const done = store().load('claim');
    expect(askable).toHaveBeenCalledWith('claim');
    expect(store().asks.claim).toEqual({ phase: 'loading', templates: [] });
    pending.resolve({ templates: [COUPON, CAMPAIGN] });
    await done;
    expect(store().asks.claim).toEqual({ phase: 'ready', templates: [COUPON, CAMPAIGN] });
    // Other moments are untouched.
    expect(store().asks.order).toBeUndefined();
  });

  it('nothing askable: ready with nothing, and a tap opens no sheet', async () => {
    await loaded([]);
    expect(store().asks.claim).toEqual({ phase: 'ready', templates: [] });
    expect(await store().ask('claim')).toEqual({ kind: 'nothing' });
    expect(requestSubscribe).not.toHaveBeenCalled();
    expect(recordGrants).not.toHaveBeenCalled();
  });

  it('a failed load shows nothing and throws nothing; the next load may still offer', async () => {
    askable.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await expect(store().load('order')).resolves.toBeUndefined();
    expect(store().asks.order).toEqual({ phase: 'ready', templates: [] });
    askable.mockRejectedValueOnce(new Error('socket hang up'));
    await expect(store().load('order')).resolves.toBeUndefined();
    expect(store().asks.order?.templates).toEqual([]);
    askable.mockResolvedValueOnce({ templates: [SHIPPED] });
    await store().load('order');
    expect(store().asks.order).toEqual({ phase: 'ready', templates: [SHIPPED] });
  });

  it('an older load answering late never lands over a newer one', async () => {
    const old = deferred<Askable>();
    askable.mockReturnValueOnce(old.promise);
    const first = store().load('claim');
    askable.mockResolvedValueOnce({ templates: [CAMPAIGN] });
    await store().load('claim');
    old.resolve({ templates: [COUPON, CAMPAIGN] });
    await first;
    expect(store().asks.claim?.templates).toEqual([CAMPAIGN]);
  });
});

describe('useSubscribeAskStore: asking from the tap', () => {
  it('opens the sheet with exactly the preloaded ids and titles, records the answers once, then hides', async () => {
    await loaded();
    requestSubscribe.mockResolvedValueOnce({ TPL_COUPON_EXPIRING: 'accept', TPL_CAMPAIGN: 'reject' });
    expect(await store().ask('claim')).toEqual({ kind: 'answered', accepted: 1 });
    expect(requestSubscribe).toHaveBeenCalledTimes(1);
    expect(requestSubscribe).toHaveBeenCalledWith(['TPL_COUPON_EXPIRING', 'TPL_CAMPAIGN'], {
      TPL_COUPON_EXPIRING: '优惠券到期提醒',
      TPL_CAMPAIGN: '活动提醒',
    });
    expect(recordGrants).toHaveBeenCalledTimes(1);
    expect(recordGrants).toHaveBeenCalledWith({
      requestId: 'req000000000000000000001',
      moment: 'claim',
      answers: { TPL_COUPON_EXPIRING: 'accept', TPL_CAMPAIGN: 'reject' },
    });
    expect(store().asks.claim).toEqual({ phase: 'answered', templates: [] });
    // The card is gone: another tap opens nothing.
    expect(await store().ask('claim')).toEqual({ kind: 'nothing' });
    expect(requestSubscribe).toHaveBeenCalledTimes(1);
  });

  it('opens the sheet within the tap: nothing is awaited before it', () => {
    useSubscribeAskStore.setState({ asks: { order: { phase: 'ready', templates: [SHIPPED] } } });
    requestSubscribe.mockReturnValueOnce(new Promise<SheetResult>(() => undefined));
    void store().ask('order');
    // Synchronously, before any microtask: WeChat refuses a sheet opened after the tap's turn.
    expect(requestSubscribe).toHaveBeenCalledWith(['TPL_ORDER_SHIPPED'], { TPL_ORDER_SHIPPED: '订单发货通知' });
  });

  it('a second tap while the sheet is open opens no second sheet', async () => {
    await loaded();
    const sheet = deferred<SheetResult>();
    requestSubscribe.mockReturnValueOnce(sheet.promise);
    const first = store().ask('claim');
    expect(store().asks.claim?.phase).toBe('asking');
    expect(await store().ask('claim')).toEqual({ kind: 'busy' });
    // A load meanwhile (the page shown again) changes nothing under the open sheet.
    await store().load('claim');
    expect(askable).toHaveBeenCalledTimes(1);
    sheet.resolve({ TPL_COUPON_EXPIRING: 'accept', TPL_CAMPAIGN: 'accept' });
    expect(await first).toEqual({ kind: 'answered', accepted: 2 });
    expect(requestSubscribe).toHaveBeenCalledTimes(1);
    expect(recordGrants).toHaveBeenCalledTimes(1);
  });

  it('passes ban and filter through, and never records a template it did not offer', async () => {
    await loaded();
    requestSubscribe.mockResolvedValueOnce({ TPL_COUPON_EXPIRING: 'ban', TPL_CAMPAIGN: 'filter', TPL_OTHER: 'accept' } as SheetResult);
    expect(await store().ask('claim')).toEqual({ kind: 'answered', accepted: 0 });
    expect(recordGrants.mock.calls[0][0].answers).toEqual({ TPL_COUPON_EXPIRING: 'ban', TPL_CAMPAIGN: 'filter' });
  });

  it('answered once, the moment is not offered again in this session', async () => {
    await loaded();
    requestSubscribe.mockResolvedValueOnce({ TPL_COUPON_EXPIRING: 'reject', TPL_CAMPAIGN: 'reject' });
    await store().ask('claim');
    await store().load('claim');
    expect(askable).toHaveBeenCalledTimes(1);
    expect(store().asks.claim).toEqual({ phase: 'answered', templates: [] });
  });

  it('a sheet that fails hides the card and records nothing', async () => {
    await loaded();
    requestSubscribe.mockRejectedValueOnce({ errMsg: 'requestSubscribeMessage:fail', errCode: 20004 });
    expect(await store().ask('claim')).toEqual({ kind: 'failed' });
    expect(recordGrants).not.toHaveBeenCalled();
    expect(store().asks.claim).toEqual({ phase: 'answered', templates: [] });
  });

  it('answers that got no reply are sent again with the same requestId; a refusal is not retried', async () => {
    vi.useFakeTimers();
    await loaded();
    requestSubscribe.mockResolvedValueOnce({ TPL_COUPON_EXPIRING: 'accept', TPL_CAMPAIGN: 'reject' });
    recordGrants.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    const asked = store().ask('claim');
    // The card hides as soon as the member answered, not when the server does.
    await vi.waitFor(() => expect(store().asks.claim?.phase).toBe('answered'));
    await vi.advanceTimersByTimeAsync(RECORD_RETRY_DELAYS_MS[0]);
    expect(await asked).toEqual({ kind: 'answered', accepted: 1 });
    expect(recordGrants).toHaveBeenCalledTimes(2);
    expect(recordGrants.mock.calls[1][0].requestId).toBe(recordGrants.mock.calls[0][0].requestId);

    askable.mockResolvedValueOnce({ templates: [SHIPPED] });
    await store().load('order');
    requestSubscribe.mockResolvedValueOnce({ TPL_ORDER_SHIPPED: 'accept' });
    recordGrants.mockRejectedValueOnce(new CloudCallError('INVALID_ARGUMENT', '参数错误'));
    expect(await store().ask('order')).toEqual({ kind: 'answered', accepted: 1 });
    expect(recordGrants).toHaveBeenCalledTimes(3);
  });

  it('a server that stays silent is given up on after the retries, without throwing', async () => {
    vi.useFakeTimers();
    await loaded([COUPON]);
    requestSubscribe.mockResolvedValueOnce({ TPL_COUPON_EXPIRING: 'accept' });
    recordGrants.mockRejectedValue(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    const asked = store().ask('claim');
    for (const delay of RECORD_RETRY_DELAYS_MS) await vi.advanceTimersByTimeAsync(delay);
    expect(await asked).toEqual({ kind: 'answered', accepted: 1 });
    expect(recordGrants).toHaveBeenCalledTimes(1 + RECORD_RETRY_DELAYS_MS.length);
    expect(new Set(recordGrants.mock.calls.map(([input]) => input.requestId)).size).toBe(1);
  });

  it('each sheet gets its own requestId', async () => {
    await loaded([COUPON]);
    requestSubscribe.mockResolvedValueOnce({ TPL_COUPON_EXPIRING: 'accept' });
    await store().ask('claim');
    askable.mockResolvedValueOnce({ templates: [SHIPPED] });
    await store().load('order');
    requestSubscribe.mockResolvedValueOnce({ TPL_ORDER_SHIPPED: 'reject' });
    await store().ask('order');
    const ids = recordGrants.mock.calls.map(([input]) => input.requestId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
    expect(recordGrants.mock.calls[1][0]).toMatchObject({ moment: 'order', answers: { TPL_ORDER_SHIPPED: 'reject' } });
  });
});
