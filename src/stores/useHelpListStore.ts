import { create } from 'zustand';
import type { HelpCampaignCard, MyHelpTaskCard } from '../../core/contracts/help';
import type { Failure } from '../services/errors';
import * as helpService from '../services/help';
import { latestLoad } from './latest-load';
import type { LoadStatus } from './useMemberStore';

export interface HelpListState {
  status: LoadStatus;
  campaigns: HelpCampaignCard[];
  myTasks: MyHelpTaskCard[];
  error: string | null;
  failure: Failure | null;
  /** Reads again on every visit; a reload keeps the list on screen and only the latest answer lands. */
  load(): Promise<void>;
}

/** 好友助力 without a campaign: the running campaigns and the member's own tasks (我的助力). */
export const useHelpListStore = create<HelpListState>((set, get) => {
  const load = latestLoad<HelpListState>(set, 'help.list');
  return {
    status: 'idle',
    campaigns: [],
    myTasks: [],
    error: null,
    failure: null,
    load() {
      return load(get().status === 'ready', { campaigns: [], myTasks: [] }, helpService.list, ({ campaigns, myTasks }) => ({
        campaigns,
        myTasks,
      }));
    },
  };
});

/** Where one of my tasks stands, in the member's words. */
export function myTaskLine(task: MyHelpTaskCard): string {
  if (task.state === 'completed') {
    if (task.rewardState === 'issued') return '助力成功，奖励已到账';
    return task.rewardState === 'sold_out' ? '助力成功，奖励已发完，请联系客服' : '助力成功，奖励发放中';
  }
  if (task.state === 'expired') return `已结束 · ${task.count}/${task.helpersNeeded} 位好友助力`;
  return `进行中 · 还差 ${task.helpersNeeded - task.count} 位好友助力`;
}

/** A running campaign's call to action, from the member's latest task in it (tasks come newest first). */
export function campaignAction(campaignId: string, myTasks: readonly MyHelpTaskCard[]): string {
  const latest = myTasks.find((task) => task.campaignId === campaignId);
  if (latest?.state === 'open') return '进行中，查看进度';
  if (latest?.state === 'completed') return '已完成';
  return '去发起';
}
