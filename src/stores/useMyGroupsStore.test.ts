import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { GroupView } from '../../core/contracts/groupbuy';
import { CloudCallError } from '../services/errors';
import * as groupbuyService from '../services/groupbuy';
import { GROUP_SERVER_TIME, groupView, myGroupView } from './group-fixtures';
import { deferred } from './test-support';
import { groupTag, useMyGroupsStore } from './useMyGroupsStore';

vi.mock('../services/groupbuy', () => ({ mine: vi.fn() }));

const mine = vi.mocked(groupbuyService.mine);
type Answer = Awaited<ReturnType<typeof groupbuyService.mine>>;
const answer = (groups = [myGroupView()]): Answer => ({ groups, serverTime: GROUP_SERVER_TIME });
const store = () => useMyGroupsStore.getState();

beforeEach(() => {
  vi.resetAllMocks();
  useMyGroupsStore.setState(useMyGroupsStore.getInitialState(), true);
});

describe('useMyGroupsStore', () => {
  it('loads the member’s groups; an empty answer is ready and empty', async () => {
    mine.mockResolvedValueOnce(answer());
    await store().load();
    expect(store()).toMatchObject({ status: 'ready', groups: [myGroupView()] });
    mine.mockResolvedValueOnce(answer([]));
    await store().load();
    expect(store()).toMatchObject({ status: 'ready', groups: [] });
  });

  it('a first load that fails shows the message; a late answer of an older load is dropped', async () => {
    mine.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    await store().load();
    expect(store()).toMatchObject({ status: 'error', error: '服务繁忙，请稍后重试' });
    const first = deferred<Answer>();
    mine.mockReturnValueOnce(first.promise).mockResolvedValueOnce(answer([]));
    const older = store().load();
    await store().load();
    first.resolve(answer());
    await older;
    expect(store().groups).toEqual([]);
  });
});

describe('groupTag', () => {
  const tagOf = (state: GroupView['state'], orderState: 'paid' | 'refunding' | 'refunded' = 'paid') =>
    groupTag({ group: groupView({ state }), orderState }).text;

  it('names each state; a failed group says 已退款 only once the order is refunded', () => {
    expect(tagOf('open')).toBe('拼团中');
    expect(tagOf('succeeded')).toBe('拼团成功');
    expect(tagOf('failed', 'refunding')).toBe('拼团失败·退款中');
    expect(tagOf('failed', 'paid')).toBe('拼团失败·退款中');
    expect(tagOf('failed', 'refunded')).toBe('拼团失败·已退款');
    expect(tagOf('abandoned')).toBe('未成团·已关闭');
  });

  it('a seat held unpaid in a running group is 待支付', () => {
    const view = { group: groupView({ state: 'pending' }, { seat: 'held', action: 'pay' }), orderState: 'created' as const };
    expect(groupTag(view)).toEqual({ text: '待支付', tone: 'pay' });
  });
});
