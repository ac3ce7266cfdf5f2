import { create } from 'zustand';
import type { CampaignView } from '../../core/contracts/content';
import * as contentService from '../services/content';
import { CloudCallError } from '../services/errors';

export interface CampaignState {
  campaign: CampaignView | null;
  article: { _id: string; title: string; url: string | null } | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  load(id: string, article?: string): Promise<void>;
}

export const useCampaignStore = create<CampaignState>((set) => ({
  campaign: null,
  article: null,
  status: 'idle',
  error: null,
  async load(id, article) {
    set({ status: 'loading', error: null });
    try {
      const data = await contentService.getCampaign(id, article);
      set({ status: 'ready', campaign: data.campaign, article: data.article });
    } catch (error) {
      set({ status: 'error', error: error instanceof CloudCallError ? error.message : '网络异常，请稍后重试' });
    }
  },
}));
