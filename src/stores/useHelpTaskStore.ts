import { create } from 'zustand';
import type { HelpCampaignView, TaskView } from '../../core/contracts/help';
import { type Failure, toFailure } from '../services/errors';
import * as helpService from '../services/help';
import { latestLoad } from './latest-load';
import { clockOffsetMs, remainingMs } from './order-clock';
import type { LoadStatus } from './useMemberStore';

/** What a tap did: done with a message to show, refused with the server's Chinese reason, or ignored (busy). */
export type HelpOutcome = { kind: 'done'; message: string } | { kind: 'failed'; message: string } | { kind: 'busy' };

/** What the page shows: a campaign (query `campaign`) or one task (query `id`). */
export type HelpTarget = { campaignId: string } | { taskId: string };

export interface HelpTaskState {
  /** The target asked for last, as a key (`c:<campaign>` / `t:<task>`): the page shows only its answer. */
  key: string | null;
  status: LoadStatus;
  campaign: HelpCampaignView | null;
  task: TaskView | null;
  /** Server clock minus phone clock when read: the countdown runs on the server's time. */
  offsetMs: number;
  /** A start or a help is on its way: the button shows loading and cannot be tapped twice. */
  acting: boolean;
  error: string | null;
  failure: Failure | null;
  load(target: HelpTarget): Promise<void>;
  /** 发起助力: starts (or finds) the caller's task in the campaign shown. */
  start(): Promise<HelpOutcome>;
  /** 帮TA助力 on the task shown. */
  help(): Promise<HelpOutcome>;
  /** Milliseconds until the task closes, on the server's clock. */
  leftMs(now?: number): number;
}

export function keyOf(target: HelpTarget): string {
  return 'campaignId' in target ? `c:${target.campaignId}` : `t:${target.taskId}`;
}

export const useHelpTaskStore = create<HelpTaskState>((set, get) => {
  const load = latestLoad<HelpTaskState>(set, 'help.load');
  return {
    key: null,
    status: 'idle',
    campaign: null,
    task: null,
    offsetMs: 0,
    acting: false,
    error: null,
    failure: null,
    load(target) {
      const key = keyOf(target);
      const same = get().key === key && get().status === 'ready';
      set({ key });
      if ('campaignId' in target) {
        return load(
          same,
          { campaign: null, task: null },
          () => helpService.campaign(target.campaignId),
          (campaign) => ({ campaign, task: campaign.myTask, offsetMs: clockOffsetMs(campaign.serverTime) }),
        );
      }
      return load(
        same,
        { campaign: null, task: null },
        () => helpService.task(target.taskId),
        (task) => ({ task, offsetMs: clockOffsetMs(task.serverTime) }),
      );
    },
    async start() {
      const { campaign, acting, key } = get();
      if (!campaign || acting) return { kind: 'busy' };
      set({ acting: true });
      try {
        const { task, created } = await helpService.start(campaign.campaignId);
        if (get().key === key) {
          set({ task, offsetMs: clockOffsetMs(task.serverTime), campaign: { ...campaign, myTask: task, canStart: false } });
        }
        return { kind: 'done', message: created ? '助力已发起，快去邀请好友吧' : '你的助力正在进行中' };
      } catch (error) {
        const failure = toFailure(error, 'help.start');
        if (failure.code !== 'UNAVAILABLE') void get().load({ campaignId: campaign.campaignId });
        return { kind: 'failed', message: failure.message };
      } finally {
        set({ acting: false });
      }
    },
    async help() {
      const { task, acting, key } = get();
      if (!task || acting || !task.viewer.canHelp) return { kind: 'busy' };
      set({ acting: true });
      try {
        const answer = await helpService.help(task.taskId);
        if (get().key === key) set({ task: answer.task, offsetMs: clockOffsetMs(answer.task.serverTime) });
        return { kind: 'done', message: answer.helperPoints > 0 ? `助力成功，获得 ${answer.helperPoints} 积分` : '助力成功' };
      } catch (error) {
        const failure = toFailure(error, 'help.help');
        // The task as it is now explains the refusal (full, completed, expired, already helped).
        if (failure.code !== 'UNAVAILABLE') void get().load({ taskId: task.taskId });
        return { kind: 'failed', message: failure.message };
      } finally {
        set({ acting: false });
      }
    },
    leftMs(now) {
      const { task, offsetMs } = get();
      return task ? remainingMs(task.expiresAt, offsetMs, now) : 0;
    },
  };
});
