import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudCallError } from '../services/errors';
import * as pointsService from '../services/points';
import { calendar, ledgerEntry, pointsSummary } from './points-fixtures';
import { deferred } from './test-support';
import { ALREADY_CHECKED_IN, usePointsCenterStore } from './usePointsCenterStore';

vi.mock('../services/points', () => ({ summary: vi.fn(), ledger: vi.fn(), checkIn: vi.fn() }));

const summary = vi.mocked(pointsService.summary);
const ledger = vi.mocked(pointsService.ledger);
const checkIn = vi.mocked(pointsService.checkIn);
type LedgerPage = Awaited<ReturnType<typeof pointsService.ledger>>;
type CheckInAnswer = Awaited<ReturnType<typeof pointsService.checkIn>>;
const store = () => usePointsCenterStore.getState();

const entry = (n: number) => ledgerEntry({ key: `e${n}`, title: `记录${n}` });
const page = (from: number, count: number, nextCursor: string | null): LedgerPage => ({
  entries: Array.from({ length: count }, (_, i) => entry(from + i)),
  nextCursor,
});
const doneToday = pointsSummary({ balance: 125 }, { done: true, streak: 3, calendar: calendar(true) });
const checkedIn = (overrides: Partial<CheckInAnswer> = {}): CheckInAnswer => ({
  checkedIn: true,
  awarded: 5,
  bonus: false,
  summary: doneToday,
  ...overrides,
});

async function loaded() {
  summary.mockResolvedValueOnce(pointsSummary());
  ledger.mockResolvedValueOnce(page(1, 2, 'c2'));
  await store().load();
}

beforeEach(() => {
  vi.resetAllMocks();
  usePointsCenterStore.setState(usePointsCenterStore.getInitialState(), true);
});

describe('usePointsCenterStore: summary and history', () => {
  it('goes loading, then shows the summary and the first page of history', async () => {
    const pending = deferred<Awaited<ReturnType<typeof pointsService.summary>>>();
    summary.mockReturnValueOnce(pending.promise);
    ledger.mockResolvedValueOnce(page(1, 2, 'c2'));
    const done = store().load();
    expect(store()).toMatchObject({ status: 'loading', ledgerStatus: 'loading' });
    pending.resolve(pointsSummary());
    await done;
    expect(ledger).toHaveBeenCalledWith();
    expect(store()).toMatchObject({ status: 'ready', summary: pointsSummary(), ledgerStatus: 'ready', nextCursor: 'c2' });
    expect(store().entries.map((e) => e.key)).toEqual(['e1', 'e2']);
  });

  it('a summary that fails says why; a history that fails on its own leaves the summary shown', async () => {
    summary.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    ledger.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load();
    expect(store()).toMatchObject({ status: 'error', error: '服务繁忙，请稍后重试', ledgerStatus: 'error' });
    summary.mockResolvedValueOnce(pointsSummary());
    ledger.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load();
    expect(store()).toMatchObject({ status: 'ready', ledgerStatus: 'error', ledgerError: '服务繁忙，请稍后重试' });
  });

  it('加载更多 appends the next page from the cursor, and stops at the end', async () => {
    await loaded();
    ledger.mockResolvedValueOnce(page(3, 2, null));
    await store().loadMore();
    expect(ledger).toHaveBeenLastCalledWith('c2');
    expect(store().entries.map((e) => e.key)).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(store()).toMatchObject({ nextCursor: null, loadingMore: false });
    await store().loadMore();
    expect(ledger).toHaveBeenCalledTimes(2);
  });

  it('a second 加载更多 while one is on its way sends nothing; a failed one keeps the entries and says why', async () => {
    await loaded();
    const pending = deferred<LedgerPage>();
    ledger.mockReturnValueOnce(pending.promise);
    const first = store().loadMore();
    await store().loadMore();
    expect(ledger).toHaveBeenCalledTimes(2);
    expect(store().loadingMore).toBe(true);
    pending.reject(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await first;
    expect(store()).toMatchObject({ loadingMore: false, moreError: '服务繁忙，请稍后重试', nextCursor: 'c2' });
    expect(store().entries).toHaveLength(2);
  });

  it('a page still on its way when the history is read again is dropped', async () => {
    await loaded();
    const late = deferred<LedgerPage>();
    ledger.mockReturnValueOnce(late.promise);
    const more = store().loadMore();
    summary.mockResolvedValueOnce(pointsSummary());
    ledger.mockResolvedValueOnce(page(10, 1, null));
    await store().load();
    late.resolve(page(3, 2, 'c3'));
    await more;
    expect(store().entries.map((e) => e.key)).toEqual(['e10']);
    expect(store().nextCursor).toBeNull();
  });
});

describe('usePointsCenterStore: check-in', () => {
  it('shows the calendar and balance the server answered, says +N 积分, and reads the history again', async () => {
    await loaded();
    checkIn.mockResolvedValueOnce(checkedIn());
    ledger.mockResolvedValueOnce(page(0, 3, 'c2'));
    expect(await store().checkIn()).toEqual({ kind: 'checked_in', awarded: 5, bonus: false, message: '签到成功 +5 积分' });
    expect(store().summary).toEqual(doneToday);
    await vi.waitFor(() => expect(store().entries.map((e) => e.key)).toEqual(['e0', 'e1', 'e2']));
  });

  it('the streak bonus is said so', async () => {
    await loaded();
    checkIn.mockResolvedValueOnce(checkedIn({ awarded: 25, bonus: true }));
    ledger.mockResolvedValueOnce(page(0, 1, null));
    expect(await store().checkIn()).toMatchObject({ kind: 'checked_in', message: '连续签到奖励 +25 积分' });
  });

  it('a second tap while the first is on its way sends nothing; the button shows loading meanwhile', async () => {
    await loaded();
    const pending = deferred<CheckInAnswer>();
    checkIn.mockReturnValueOnce(pending.promise);
    const first = store().checkIn();
    expect(store().checkingIn).toBe(true);
    expect(await store().checkIn()).toEqual({ kind: 'busy' });
    expect(checkIn).toHaveBeenCalledTimes(1);
    ledger.mockResolvedValueOnce(page(0, 1, null));
    pending.resolve(checkedIn());
    await first;
    expect(store().checkingIn).toBe(false);
  });

  it('done already (in the 公众号): says so, shows the day ticked, adds nothing to the history', async () => {
    await loaded();
    checkIn.mockResolvedValueOnce(checkedIn({ checkedIn: false, awarded: 0 }));
    expect(await store().checkIn()).toEqual({ kind: 'already', message: ALREADY_CHECKED_IN });
    expect(store().summary?.checkIn.done).toBe(true);
    expect(ledger).toHaveBeenCalledTimes(1);
  });

  it('an older summary still on its way never lands over the check-in’s answer', async () => {
    await loaded();
    const old = deferred<Awaited<ReturnType<typeof pointsService.summary>>>();
    summary.mockReturnValueOnce(old.promise);
    ledger.mockResolvedValue(page(1, 2, 'c2'));
    const reload = store().load();
    checkIn.mockResolvedValueOnce(checkedIn());
    await store().checkIn();
    old.resolve(pointsSummary());
    await reload;
    expect(store().summary).toEqual(doneToday);
  });

  it('a refusal is shown in the server’s words and the page read again; a lost answer is not', async () => {
    await loaded();
    checkIn.mockRejectedValueOnce(new CloudCallError('FAILED_PRECONDITION', '签到活动暂未开放'));
    summary.mockResolvedValueOnce(pointsSummary());
    ledger.mockResolvedValueOnce(page(1, 2, 'c2'));
    expect(await store().checkIn()).toEqual({ kind: 'failed', message: '签到活动暂未开放' });
    expect(summary).toHaveBeenCalledTimes(2);
    checkIn.mockRejectedValueOnce(new Error('socket hang up'));
    expect(await store().checkIn()).toEqual({ kind: 'failed', message: '网络异常，请稍后重试' });
    expect(summary).toHaveBeenCalledTimes(2);
    expect(store().checkingIn).toBe(false);
  });
});
