import { create } from 'zustand';
import type { MyGroupView } from '../../core/contracts/groupbuy';
import type { Failure } from '../services/errors';
import * as groupbuyService from '../services/groupbuy';
import { latestLoad } from './latest-load';
import { clockOffsetMs } from './order-clock';
import type { LoadStatus } from './useMemberStore';

export type GroupTagTone = 'live' | 'pay' | 'done' | 'off';

/**
 * The tag of one of the member's groups, from the states the server sent: a failed group says
 * 已退款 only once the member's order is refunded (the refund takes a while), 退款中 before.
 */
export function groupTag({ group, orderState }: Pick<MyGroupView, 'group' | 'orderState'>): { text: string; tone: GroupTagTone } {
  switch (group.state) {
    case 'succeeded':
      return { text: '拼团成功', tone: 'done' };
    case 'failed':
      return { text: orderState === 'refunded' ? '拼团失败·已退款' : '拼团失败·退款中', tone: 'off' };
    case 'abandoned':
      return { text: '未成团·已关闭', tone: 'off' };
    default:
      return group.me.action === 'pay' ? { text: '待支付', tone: 'pay' } : { text: '拼团中', tone: 'live' };
  }
}

export interface MyGroupsState {
  status: LoadStatus;
  groups: MyGroupView[];
  offsetMs: number;
  error: string | null;
  failure: Failure | null;
  load(): Promise<void>;
}

/** 我的拼团: the member's groups, newest first. A reload keeps the cards already shown. */
export const useMyGroupsStore = create<MyGroupsState>((set, get) => {
  const load = latestLoad<MyGroupsState>(set, 'groupbuy.mine');
  return {
    status: 'idle',
    groups: [],
    offsetMs: 0,
    error: null,
    failure: null,
    load: () =>
      load(
        get().status === 'ready',
        {},
        () => groupbuyService.mine(),
        ({ groups, serverTime }) => ({ groups, offsetMs: clockOffsetMs(serverTime) }),
      ),
  };
});
