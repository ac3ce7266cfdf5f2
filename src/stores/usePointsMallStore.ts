import { create } from 'zustand';
import type { MallItemView } from '../../core/contracts/points';
import type { Failure } from '../services/errors';
import * as pointsService from '../services/points';
import { latestLoad } from './latest-load';
import type { LoadStatus } from './useMemberStore';

export interface PointsMallState {
  status: LoadStatus;
  /** The mall's items, each in the state it has for the member (立即兑换, or why not). */
  items: MallItemView[];
  /** The member's points, shown over the items. */
  balance: number;
  error: string | null;
  failure: Failure | null;
  load(): Promise<void>;
}

export const usePointsMallStore = create<PointsMallState>((set, get) => {
  const load = latestLoad<PointsMallState>(set, 'points.mall');
  return {
    status: 'idle',
    items: [],
    balance: 0,
    error: null,
    failure: null,
    // Coming back (after an exchange) refreshes the balance and the states behind the items shown.
    load: () =>
      load(
        get().status === 'ready',
        {},
        () => pointsService.mall(),
        ({ items, balance }) => ({ items, balance }),
      ),
  };
});
