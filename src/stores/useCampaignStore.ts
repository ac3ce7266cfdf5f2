import { create } from 'zustand';
import type { CampaignView } from '../../core/contracts/content';
import * as contentService from '../services/content';
import { type Failure, toFailure } from '../services/errors';

export interface CampaignState {
  campaign: CampaignView | null;
  article: { _id: string; title: string; url: string | null } | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** Why the last load failed (code and request id), for support; null otherwise. */
  failure: Failure | null;
  load(id: string, article?: string): Promise<void>;
}

/** Bumped by every load: an answer to an older load (the reader moved on to another campaign) is dropped. */
let latestLoad = 0;

export const useCampaignStore = create<CampaignState>((set) => ({
  campaign: null,
  article: null,
  status: 'idle',
  error: null,
  failure: null,
  async load(id, article) {
    const ticket = ++latestLoad;
    set({ status: 'loading', error: null, failure: null });
    try {
      const data = await contentService.getCampaign(id, article);
      if (ticket === latestLoad) set({ status: 'ready', campaign: data.campaign, article: data.article });
    } catch (error) {
      const failure = toFailure(error, 'content.campaign');
      if (ticket === latestLoad) set({ status: 'error', error: failure.message, failure });
    }
  },
}));
