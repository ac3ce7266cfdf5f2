import { create } from 'zustand';
import type { ActivityView, GroupCard } from '../../core/contracts/groupbuy';
import type { Failure } from '../services/errors';
import * as groupbuyService from '../services/groupbuy';
import { latestLoad } from './latest-load';
import { clockOffsetMs } from './order-clock';
import type { LoadStatus } from './useMemberStore';

export interface GroupActivityState {
  /** The activity asked for last; the page shows `activity` only when it is that one. */
  activityId: string | null;
  status: LoadStatus;
  activity: ActivityView | null;
  /** Open groups a reader could join, the closest to filling first. */
  groups: GroupCard[];
  offsetMs: number;
  error: string | null;
  failure: Failure | null;
  /** The SKU chosen for 我要开团 (null until chosen when there are several). */
  selected: string | null;
  load(activityId: string): Promise<void>;
  select(skuId: string): void;
}

/** What 我要开团 says and whether it can be tapped, from the activity as the server sent it. */
export function openAction(activity: ActivityView): { label: string; enabled: boolean } {
  if (activity.phase === 'upcoming') return { label: '活动即将开始', enabled: false };
  if (activity.phase === 'ended') return { label: '活动已结束', enabled: false };
  if (activity.stockLeft <= 0 || activity.skus.every((sku) => sku.stock <= 0)) return { label: '已抢光', enabled: false };
  return { label: '我要开团', enabled: true };
}

/** The SKU a page starts with: the only one in stock, else none (the reader chooses). */
function initialSelection(activity: ActivityView, kept: string | null): string | null {
  const inStock = activity.skus.filter((sku) => sku.stock > 0);
  if (kept && inStock.some((sku) => sku.skuId === kept)) return kept;
  return inStock.length === 1 ? inStock[0].skuId : null;
}

export const useGroupActivityStore = create<GroupActivityState>((set, get) => {
  const load = latestLoad<GroupActivityState>(set, 'groupbuy.activity');
  return {
    activityId: null,
    status: 'idle',
    activity: null,
    groups: [],
    offsetMs: 0,
    error: null,
    failure: null,
    selected: null,
    load(activityId) {
      const same = get().activityId === activityId && get().status === 'ready';
      // Another activity's picture and price must never show, even for a moment, under this one.
      return load(
        same,
        { activityId, activity: null, groups: [], selected: null },
        () => groupbuyService.activity(activityId),
        ({ activity, groups, serverTime }) => ({
          activity,
          groups,
          // Back from checkout, the reader's choice stays if it can still be bought.
          selected: initialSelection(activity, same ? get().selected : null),
          offsetMs: clockOffsetMs(serverTime),
        }),
      );
    },
    select(skuId) {
      const sku = get().activity?.skus.find((s) => s.skuId === skuId);
      if (sku && sku.stock > 0) set({ selected: skuId });
    },
  };
});
