import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MemberSummary, MemberView } from '../../core/contracts/member';
import { ERROR_CODES, type ErrorCode } from '../../core/errors';
import { CloudCallError } from '../services/errors';
import * as memberService from '../services/member';
import { deferred } from './test-support';
import { useMemberStore } from './useMemberStore';

vi.mock('../services/member', () => ({ login: vi.fn(), summary: vi.fn() }));

const login = vi.mocked(memberService.login);
const summary = vi.mocked(memberService.summary);

const member: MemberView = {
  _id: 'm1',
  unionid: null,
  nickname: '小鹿',
  memberNo: '0000000001',
  followsMp: false,
  points: 0,
  createdAt: '2025-01-01T00:00:00.000Z',
};
const NETWORK_MESSAGE = '网络异常，请稍后重试';
const codes = Object.keys(ERROR_CODES) as ErrorCode[];

beforeEach(() => {
  login.mockReset();
  summary.mockReset();
  useMemberStore.setState(useMemberStore.getInitialState(), true);
});

describe('useMemberStore', () => {
  it('starts idle with no member', () => {
    expect(useMemberStore.getState()).toMatchObject({ member: null, status: 'idle', error: null, summary: null });
  });

  it('login goes loading, then ready with the member', async () => {
    const answer = deferred<MemberView>();
    login.mockReturnValueOnce(answer.promise);
    const done = useMemberStore.getState().login();
    expect(useMemberStore.getState()).toMatchObject({ status: 'loading', error: null, member: null });
    answer.resolve(member);
    await done;
    expect(useMemberStore.getState()).toMatchObject({ status: 'ready', error: null, member });
    expect(login).toHaveBeenCalledTimes(1);
  });

  it('a second login while one is in flight waits for the same call (the app logs in at launch, a page may ask too)', async () => {
    const answer = deferred<MemberView>();
    login.mockReturnValueOnce(answer.promise);
    const first = useMemberStore.getState().login();
    const second = useMemberStore.getState().login();
    answer.resolve(member);
    await second;
    expect(useMemberStore.getState()).toMatchObject({ status: 'ready', member });
    await first;
    expect(login).toHaveBeenCalledTimes(1);
  });

  it('a refused login ends in error with the server’s Chinese message', async () => {
    login.mockRejectedValueOnce(new CloudCallError('UNAUTHENTICATED', '请先登录', 'req-1'));
    await useMemberStore.getState().login();
    expect(useMemberStore.getState()).toMatchObject({ status: 'error', error: '请先登录', member: null });
    // The cause stays for support: the code decides what the page offers, the request id finds the log.
    expect(useMemberStore.getState().failure).toEqual({ message: '请先登录', code: 'UNAUTHENTICATED', requestId: 'req-1' });
  });

  it('shows the message of any refusal as the server sent it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...codes), fc.string({ minLength: 1 }), async (code, message) => {
        useMemberStore.setState(useMemberStore.getInitialState(), true);
        login.mockRejectedValueOnce(new CloudCallError(code, message));
        await useMemberStore.getState().login();
        expect(useMemberStore.getState().status).toBe('error');
        expect(useMemberStore.getState().error).toBe(message);
      }),
    );
  });

  it('anything else thrown shows the network message, never its own text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string().map((text) => new Error(text)),
          fc.anything(),
        ),
        async (thrown) => {
          useMemberStore.setState(useMemberStore.getInitialState(), true);
          login.mockRejectedValueOnce(thrown);
          const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
          try {
            await useMemberStore.getState().login();
            expect(useMemberStore.getState()).toMatchObject({ status: 'error', error: NETWORK_MESSAGE });
            expect(useMemberStore.getState().failure?.code).toBe('UNAVAILABLE');
            // The unexpected cause is not lost: it reaches the console with what failed.
            expect(warn).toHaveBeenCalledWith('[duet] member.login failed:', thrown);
          } finally {
            warn.mockRestore();
          }
        },
      ),
    );
  });

  it('logging in again after ready refreshes the member', async () => {
    login.mockResolvedValueOnce(member).mockResolvedValueOnce({ ...member, points: 30, followsMp: true });
    await useMemberStore.getState().login();
    await useMemberStore.getState().login();
    expect(login).toHaveBeenCalledTimes(2);
    expect(useMemberStore.getState().member).toMatchObject({ points: 30, followsMp: true });
  });

  it('a retry after an error clears the message while loading and ends ready', async () => {
    login.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await useMemberStore.getState().login();
    expect(useMemberStore.getState().error).toBe('服务繁忙，请稍后重试');
    const answer = deferred<MemberView>();
    login.mockReturnValueOnce(answer.promise);
    const retry = useMemberStore.getState().login();
    expect(useMemberStore.getState()).toMatchObject({ status: 'loading', error: null });
    answer.resolve(member);
    await retry;
    expect(useMemberStore.getState()).toMatchObject({ status: 'ready', error: null, member });
  });

  it('loadSummary keeps the counts, and on failure shows none without touching the member', async () => {
    const counts: MemberSummary = { usableCoupons: 2, orders: 1 };
    login.mockResolvedValueOnce(member);
    await useMemberStore.getState().login();
    summary.mockResolvedValueOnce(counts);
    await useMemberStore.getState().loadSummary();
    expect(useMemberStore.getState().summary).toEqual(counts);
    summary.mockRejectedValueOnce(new CloudCallError('INTERNAL', '系统开小差了，请稍后重试'));
    await useMemberStore.getState().loadSummary();
    expect(useMemberStore.getState()).toMatchObject({ summary: null, status: 'ready', error: null, member });
    expect(useMemberStore.getState().summaryFailure?.code).toBe('INTERNAL');
  });

  it('reset forgets the member, the counts and any error', async () => {
    login.mockResolvedValueOnce(member);
    summary.mockResolvedValueOnce({ usableCoupons: 1, orders: 0 });
    await useMemberStore.getState().login();
    await useMemberStore.getState().loadSummary();
    useMemberStore.getState().reset();
    expect(useMemberStore.getState()).toMatchObject({ member: null, status: 'idle', error: null, summary: null });
  });
});
