import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudCallError } from '../services/errors';
import * as noticeService from '../services/notice';
import * as sheets from '../services/wechat-sheets';
import { deferred } from './test-support';
import { RECORD_RETRY_DELAYS_MS, useRemindersStore } from './useRemindersStore';

vi.mock('../services/notice', () => ({ reminders: vi.fn(), recordGrants: vi.fn(), newRequestId: vi.fn() }));
vi.mock('../services/wechat-sheets', () => ({ requestSubscribe: vi.fn() }));

const reminders = vi.mocked(noticeService.reminders);
const recordGrants = vi.mocked(noticeService.recordGrants);
const newRequestId = vi.mocked(noticeService.newRequestId);
const requestSubscribe = vi.mocked(sheets.requestSubscribe);
type Reminders = Awaited<ReturnType<typeof noticeService.reminders>>;
type SheetResult = Awaited<ReturnType<typeof sheets.requestSubscribe>>;
const store = () => useRemindersStore.getState();

const COUPON = { templateId: 'TPL_COUPON_EXPIRING', title: '优惠券到期提醒', remaining: 0, banned: false };
const CAMPAIGN = { templateId: 'TPL_CAMPAIGN', title: '活动提醒', remaining: 2, banned: false };
const SHIPPED = { templateId: 'TPL_ORDER_SHIPPED', title: '订单发货通知', remaining: 0, banned: true };

async function loaded(grants = [COUPON, CAMPAIGN, SHIPPED]) {
  reminders.mockResolvedValueOnce({ grants });
  await store().load();
}

beforeEach(() => {
  vi.resetAllMocks();
  useRemindersStore.setState(useRemindersStore.getInitialState(), true);
  let n = 0;
  newRequestId.mockImplementation(() => `req${String(++n).padStart(21, '0')}`);
  recordGrants.mockResolvedValue({ grants: [] });
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('useRemindersStore: the list', () => {
  it('goes loading, then shows every template with its counts in the server’s order', async () => {
    const pending = deferred<Reminders>();
    reminders.mockReturnValueOnce(pending.promise);
    const done = store().load();
    expect(store().status).toBe('loading');
    pending.resolve({ grants: [COUPON, CAMPAIGN, SHIPPED] });
    await done;
    expect(store()).toMatchObject({ status: 'ready', grants: [COUPON, CAMPAIGN, SHIPPED], error: null, enabling: null });
  });

  it('a first load that fails says why; a reload that fails keeps the list on screen', async () => {
    reminders.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load();
    expect(store()).toMatchObject({ status: 'error', error: '服务繁忙，请稍后重试', grants: [] });
    await loaded();
    reminders.mockRejectedValueOnce(new Error('socket hang up'));
    await store().load();
    expect(store()).toMatchObject({ status: 'ready', grants: [COUPON, CAMPAIGN, SHIPPED], error: '网络异常，请稍后重试' });
  });
});

describe('useRemindersStore: 开启 from the tap', () => {
  it('opens the sheet for that one template, records the answer, then shows the list read again', async () => {
    await loaded();
    requestSubscribe.mockResolvedValueOnce({ TPL_COUPON_EXPIRING: 'accept' });
    reminders.mockResolvedValueOnce({ grants: [{ ...COUPON, remaining: 1 }, CAMPAIGN, SHIPPED] });
    expect(await store().enable('TPL_COUPON_EXPIRING')).toEqual({ kind: 'answered', answer: 'accept' });
    expect(requestSubscribe).toHaveBeenCalledTimes(1);
    expect(requestSubscribe).toHaveBeenCalledWith(['TPL_COUPON_EXPIRING'], { TPL_COUPON_EXPIRING: '优惠券到期提醒' });
    expect(recordGrants).toHaveBeenCalledTimes(1);
    // No moment: the member asked from the reminders page, not after something they did.
    expect(recordGrants).toHaveBeenCalledWith({ requestId: 'req000000000000000000001', answers: { TPL_COUPON_EXPIRING: 'accept' } });
    expect(reminders).toHaveBeenCalledTimes(2);
    expect(store().grants[0]).toEqual({ ...COUPON, remaining: 1 });
    expect(store().enabling).toBeNull();
  });

  it('再开启一次 on a template already held adds one more; each sheet gets its own requestId', async () => {
    await loaded();
    requestSubscribe.mockResolvedValue({ TPL_CAMPAIGN: 'accept' });
    reminders.mockResolvedValue({ grants: [COUPON, { ...CAMPAIGN, remaining: 3 }, SHIPPED] });
    await store().enable('TPL_CAMPAIGN');
    await store().enable('TPL_CAMPAIGN');
    const ids = recordGrants.mock.calls.map(([input]) => input.requestId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('opens the sheet within the tap: nothing is awaited before it', async () => {
    await loaded();
    requestSubscribe.mockReturnValueOnce(new Promise<SheetResult>(() => undefined));
    void store().enable('TPL_COUPON_EXPIRING');
    // Synchronously, before any microtask: WeChat refuses a sheet opened after the tap's turn.
    expect(requestSubscribe).toHaveBeenCalledWith(['TPL_COUPON_EXPIRING'], { TPL_COUPON_EXPIRING: '优惠券到期提醒' });
    expect(store().enabling).toBe('TPL_COUPON_EXPIRING');
  });

  it('one sheet at a time: another tap while it is open opens nothing', async () => {
    await loaded();
    const sheet = deferred<SheetResult>();
    requestSubscribe.mockReturnValueOnce(sheet.promise);
    const first = store().enable('TPL_COUPON_EXPIRING');
    expect(await store().enable('TPL_CAMPAIGN')).toEqual({ kind: 'busy' });
    expect(await store().enable('TPL_COUPON_EXPIRING')).toEqual({ kind: 'busy' });
    reminders.mockResolvedValueOnce({ grants: [COUPON, CAMPAIGN, SHIPPED] });
    sheet.resolve({ TPL_COUPON_EXPIRING: 'reject' });
    expect(await first).toEqual({ kind: 'answered', answer: 'reject' });
    expect(requestSubscribe).toHaveBeenCalledTimes(1);
    expect(recordGrants).toHaveBeenCalledTimes(1);
    expect(recordGrants.mock.calls[0][0].answers).toEqual({ TPL_COUPON_EXPIRING: 'reject' });
  });

  it('the button keeps loading until the list read again has landed', async () => {
    await loaded();
    requestSubscribe.mockResolvedValueOnce({ TPL_COUPON_EXPIRING: 'accept' });
    const reload = deferred<Reminders>();
    reminders.mockReturnValueOnce(reload.promise);
    const enabled = store().enable('TPL_COUPON_EXPIRING');
    await vi.waitFor(() => expect(reminders).toHaveBeenCalledTimes(2));
    expect(store().enabling).toBe('TPL_COUPON_EXPIRING');
    // The list stays on screen (no skeleton) while it is read again.
    expect(store().status).toBe('ready');
    reload.resolve({ grants: [{ ...COUPON, remaining: 1 }, CAMPAIGN, SHIPPED] });
    await enabled;
    expect(store().enabling).toBeNull();
    expect(store().grants[0].remaining).toBe(1);
  });

  it('a banned or unknown template opens no sheet', async () => {
    await loaded();
    expect(await store().enable('TPL_ORDER_SHIPPED')).toEqual({ kind: 'nothing' });
    expect(await store().enable('TPL_NOPE')).toEqual({ kind: 'nothing' });
    expect(requestSubscribe).not.toHaveBeenCalled();
    expect(recordGrants).not.toHaveBeenCalled();
    expect(store().enabling).toBeNull();
  });

  it('records what WeChat answered: ban and filter as they are, accept with a sound as accept, anything else as reject', async () => {
    await loaded();
    reminders.mockResolvedValue({ grants: [COUPON, CAMPAIGN, SHIPPED] });
    const answered = async (value: string) => {
      requestSubscribe.mockResolvedValueOnce({ TPL_COUPON_EXPIRING: value } as SheetResult);
      const outcome = await store().enable('TPL_COUPON_EXPIRING');
      return [outcome, recordGrants.mock.lastCall?.[0].answers];
    };
    expect(await answered('ban')).toEqual([{ kind: 'answered', answer: 'ban' }, { TPL_COUPON_EXPIRING: 'ban' }]);
    expect(await answered('filter')).toEqual([{ kind: 'answered', answer: 'filter' }, { TPL_COUPON_EXPIRING: 'filter' }]);
    expect(await answered('acceptWithAudio')).toEqual([{ kind: 'answered', answer: 'accept' }, { TPL_COUPON_EXPIRING: 'accept' }]);
    expect(await answered('something new')).toEqual([{ kind: 'answered', answer: 'reject' }, { TPL_COUPON_EXPIRING: 'reject' }]);
  });

  it('a sheet that fails records nothing, reads nothing again, and frees the buttons', async () => {
    await loaded();
    requestSubscribe.mockRejectedValueOnce({ errMsg: 'requestSubscribeMessage:fail', errCode: 20004 });
    expect(await store().enable('TPL_COUPON_EXPIRING')).toEqual({ kind: 'failed' });
    expect(recordGrants).not.toHaveBeenCalled();
    expect(reminders).toHaveBeenCalledTimes(1);
    expect(store().enabling).toBeNull();
  });

  it('an answer that got no reply is sent again with the same requestId; a refusal is not retried', async () => {
    vi.useFakeTimers();
    await loaded();
    reminders.mockResolvedValue({ grants: [{ ...COUPON, remaining: 1 }, CAMPAIGN, SHIPPED] });
    requestSubscribe.mockResolvedValueOnce({ TPL_COUPON_EXPIRING: 'accept' });
    recordGrants.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    const enabled = store().enable('TPL_COUPON_EXPIRING');
    await vi.advanceTimersByTimeAsync(RECORD_RETRY_DELAYS_MS[0]);
    expect(await enabled).toEqual({ kind: 'answered', answer: 'accept' });
    expect(recordGrants).toHaveBeenCalledTimes(2);
    expect(recordGrants.mock.calls[1][0].requestId).toBe(recordGrants.mock.calls[0][0].requestId);

    requestSubscribe.mockResolvedValueOnce({ TPL_CAMPAIGN: 'accept' });
    recordGrants.mockRejectedValueOnce(new CloudCallError('INVALID_ARGUMENT', '参数错误'));
    expect(await store().enable('TPL_CAMPAIGN')).toEqual({ kind: 'answered', answer: 'accept' });
    expect(recordGrants).toHaveBeenCalledTimes(3);
  });

  it('a server that stays silent is given up on after the retries; the list still shows what the ledger holds', async () => {
    vi.useFakeTimers();
    await loaded();
    requestSubscribe.mockResolvedValueOnce({ TPL_COUPON_EXPIRING: 'accept' });
    recordGrants.mockRejectedValue(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    reminders.mockResolvedValueOnce({ grants: [COUPON, CAMPAIGN, SHIPPED] });
    const enabled = store().enable('TPL_COUPON_EXPIRING');
    for (const delay of RECORD_RETRY_DELAYS_MS) await vi.advanceTimersByTimeAsync(delay);
    expect(await enabled).toEqual({ kind: 'answered', answer: 'accept' });
    expect(recordGrants).toHaveBeenCalledTimes(1 + RECORD_RETRY_DELAYS_MS.length);
    expect(new Set(recordGrants.mock.calls.map(([input]) => input.requestId)).size).toBe(1);
    expect(store().grants[0].remaining).toBe(0);
    expect(store().enabling).toBeNull();
  });
});
