import { create } from 'zustand';
import { toFailure } from '../services/errors';
import * as orderService from '../services/order';

export interface OrderCountsState {
  /** Orders per state; null until loaded, or when loading failed (the shortcuts then show no numbers). */
  counts: Record<string, number> | null;
  load(): Promise<void>;
}

let latestLoad = 0;

/** The member center's order shortcuts: kept apart from the order list so the main package stays small. */
export const useOrderCountsStore = create<OrderCountsState>((set) => ({
  counts: null,
  async load() {
    const ticket = ++latestLoad;
    try {
      const { counts } = await orderService.counts();
      if (ticket === latestLoad) set({ counts });
    } catch (error) {
      toFailure(error, 'order.counts');
      // Numbers that may be wrong are worse than none: the shortcuts still lead to the tabs.
      if (ticket === latestLoad) set({ counts: null });
    }
  },
}));
