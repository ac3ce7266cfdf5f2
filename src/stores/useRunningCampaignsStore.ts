import { create } from 'zustand';
import type { CampaignView } from '../../core/contracts/content';
import * as contentService from '../services/content';
import { type Failure, toFailure } from '../services/errors';

export interface RunningCampaignsState {
  campaigns: CampaignView[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  failure: Failure | null;
  load(): Promise<void>;
}

/** Bumped by every load: only the latest answer is shown. */
let latestLoad = 0;

/** The storefront's 进行中的活动: what the brand runs today. A reload keeps the cards already shown. */
export const useRunningCampaignsStore = create<RunningCampaignsState>((set) => ({
  campaigns: [],
  status: 'idle',
  failure: null,
  async load() {
    const ticket = ++latestLoad;
    set({ status: 'loading', failure: null });
    try {
      const { campaigns } = await contentService.listRunningCampaigns();
      if (ticket === latestLoad) set({ status: 'ready', campaigns });
    } catch (error) {
      const failure = toFailure(error, 'content.campaigns');
      if (ticket === latestLoad) set({ status: 'error', failure });
    }
  },
}));
