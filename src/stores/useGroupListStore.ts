import { create } from 'zustand';
import type { ActivityCard } from '../../core/contracts/groupbuy';
import { type Failure, toFailure } from '../services/errors';
import * as groupbuyService from '../services/groupbuy';
import type { LoadStatus } from './useMemberStore';

export interface GroupListState {
  status: LoadStatus;
  /** Running activities, each with up to three open groups. */
  activities: ActivityCard[];
  error: string | null;
  failure: Failure | null;
  load(): Promise<void>;
}

/** Bumped by every load: only the latest answer is shown. */
let latestLoad = 0;

/**
 * Running group-buys: the storefront's 拼团 section and the list page read the same answer. Kept in
 * a store of its own (not the activity page's) so the main package carries only this call and no
 * clock (the storefront shows who is in and 还差 N 人, never a countdown).
 */
export const useGroupListStore = create<GroupListState>((set, get) => ({
  status: 'idle',
  activities: [],
  error: null,
  failure: null,
  async load() {
    const ticket = ++latestLoad;
    // Coming back refreshes the groups behind the cards already shown.
    const shown = get().status === 'ready';
    set(shown ? { error: null, failure: null } : { status: 'loading', error: null, failure: null });
    try {
      // No countdown in the list or the storefront (dayjs stays out of the main package): no clock offset.
      const { activities } = await groupbuyService.list();
      if (ticket !== latestLoad) return;
      set({ status: 'ready', activities });
    } catch (error) {
      const failure = toFailure(error, 'groupbuy.list');
      if (ticket !== latestLoad) return;
      set(shown ? { error: failure.message, failure } : { status: 'error', error: failure.message, failure });
    }
  },
}));
