import { sharedPagePath } from './group-share';
import { create } from 'zustand';
import type { DrawView, LotteryView } from '../../core/contracts/lottery';
import { type Failure, toFailure } from '../services/errors';
import * as lotteryService from '../services/lottery';
import { LOTTERY_PAGE } from '../routes';
import { latestLoad } from './latest-load';
import type { LoadStatus } from './useMemberStore';

export type DrawOutcome =
  /** The draw settled (or was settled before: the same request): the page shows the result. */
  | { kind: 'drawn'; draw: DrawView }
  /** The lottery or the member's own state says no before anything is sent. */
  | { kind: 'blocked'; message: string }
  /** The server said no (limit, points, paused …): the page was read again; nothing was taken. */
  | { kind: 'refused'; message: string }
  /** No answer: the next tap sends the same requestId, so it can never pay twice. */
  | { kind: 'failed'; message: string }
  | { kind: 'busy' };

export interface LotteryState {
  status: LoadStatus;
  /** The lottery asked for (null: the newest open one). */
  lotteryId: string | null;
  lottery: LotteryView | null;
  balance: number;
  drawsLeftToday: number;
  error: string | null;
  failure: Failure | null;
  drawing: boolean;
  /** The last draw of this visit: the result sheet shows it. */
  result: DrawView | null;
  /** The request of a draw that got no answer: the next tap sends it again. */
  pendingRequestId: string | null;
  load(lotteryId?: string): Promise<void>;
  draw(): Promise<DrawOutcome>;
  dismissResult(): void;
}

/** Why the main button cannot draw now, or null: what it says instead of 立即抽奖. */
export function drawBlock(state: Pick<LotteryState, 'lottery' | 'balance' | 'drawsLeftToday'>): string | null {
  const { lottery } = state;
  if (!lottery) return '暂无抽奖';
  if (lottery.state === 'not_started') return '抽奖还未开始';
  if (lottery.state === 'ended') return '抽奖已结束';
  if (lottery.state === 'paused') return '抽奖暂停中';
  if (state.drawsLeftToday <= 0) return '今日次数已用完';
  if (state.balance < lottery.price) return '积分不足';
  return null;
}

export const useLotteryStore = create<LotteryState>((set, get) => {
  const load = latestLoad<LotteryState>(set, 'lottery.show');
  return {
    status: 'idle',
    lotteryId: null,
    lottery: null,
    balance: 0,
    drawsLeftToday: 0,
    error: null,
    failure: null,
    drawing: false,
    result: null,
    pendingRequestId: null,
    load: (lotteryId) => {
      const id = lotteryId ?? null;
      const same = get().status === 'ready' && get().lotteryId === id;
      set({ lotteryId: id });
      return load(
        same,
        { lottery: null, result: null, pendingRequestId: null },
        () => lotteryService.show(lotteryId),
        ({ lottery, balance, drawsLeftToday }) => ({ lottery, balance, drawsLeftToday }),
      );
    },
    async draw() {
      const state = get();
      if (state.drawing) return { kind: 'busy' };
      const block = drawBlock(state);
      if (block || !state.lottery) return { kind: 'blocked', message: block ?? '暂无抽奖' };
      const requestId = state.pendingRequestId ?? lotteryService.newRequestId();
      set({ drawing: true, pendingRequestId: requestId });
      try {
        const answer = await lotteryService.draw(state.lottery.lotteryId, requestId);
        set({
          drawing: false,
          pendingRequestId: null,
          result: answer.draw,
          balance: answer.balance,
          drawsLeftToday: answer.drawsLeftToday,
        });
        // Stock left per prize moved: read it again behind the result.
        void get().load(get().lotteryId ?? undefined);
        return { kind: 'drawn', draw: answer.draw };
      } catch (error) {
        const failure = toFailure(error, 'lottery.draw');
        const answered = failure.code !== 'UNAVAILABLE' && failure.code !== 'INTERNAL';
        set({ drawing: false, ...(answered ? { pendingRequestId: null } : {}) });
        if (!answered) return { kind: 'failed', message: failure.message };
        void get().load(get().lotteryId ?? undefined);
        return { kind: 'refused', message: failure.message };
      }
    },
    dismissResult: () => set({ result: null }),
  };
});

/** The lottery's share card: the title names the offer; nothing is promised for sharing it. */
export function lotteryShareCard(lottery: Pick<LotteryView, 'lotteryId' | 'title' | 'price'>, sharer: string | null) {
  return {
    title: `${lottery.title}：${lottery.price} 积分抽一次`,
    path: sharedPagePath(LOTTERY_PAGE, lottery.lotteryId, sharer),
  };
}
