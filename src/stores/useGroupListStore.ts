import { create } from 'zustand';
import type { ActivityCard } from '../../core/contracts/groupbuy';
import type { Failure } from '../services/errors';
import * as groupbuyService from '../services/groupbuy';
import { latestLoad } from './latest-load';
import type { LoadStatus } from './useMemberStore';

export interface GroupListState {
  status: LoadStatus;
  /** Running activities, each with up to three open groups. */
  activities: ActivityCard[];
  error: string | null;
  failure: Failure | null;
  load(): Promise<void>;
}

export const useGroupListStore = create<GroupListState>((set, get) => {
  const load = latestLoad<GroupListState>(set, 'groupbuy.list');
  return {
    status: 'idle',
    activities: [],
    error: null,
    failure: null,
    // Coming back refreshes the groups behind the cards already shown. No countdown in the list or the
    // storefront (dayjs stays out of the main package): no clock offset.
    load: () =>
      load(
        get().status === 'ready',
        {},
        () => groupbuyService.list(),
        ({ activities }) => ({ activities }),
      ),
  };
});
