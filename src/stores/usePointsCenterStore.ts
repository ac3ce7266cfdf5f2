import { create } from 'zustand';
import type { LedgerEntryView, PointsSummary } from '../../core/contracts/points';
import { type Failure, toFailure } from '../services/errors';
import * as pointsService from '../services/points';
import { latestLoad } from './latest-load';
import type { LoadStatus } from './useMemberStore';

export type CheckInOutcome =
  /** Points were added: `message` says how many (and the streak bonus when it came today). */
  | { kind: 'checked_in'; awarded: number; bonus: boolean; message: string }
  /** Today's check-in was done already (here or by 签到 in the 公众号): nothing added. */
  | { kind: 'already'; message: string }
  | { kind: 'failed'; message: string }
  /** A check-in is in flight: the tap is ignored. */
  | { kind: 'busy' };

export interface PointsCenterState {
  status: LoadStatus;
  summary: PointsSummary | null;
  error: string | null;
  failure: Failure | null;
  /** The history, newest first: the pages loaded so far. */
  entries: LedgerEntryView[];
  /** Where the next page starts; null when the history is all shown. */
  nextCursor: string | null;
  ledgerStatus: LoadStatus;
  ledgerError: string | null;
  ledgerFailure: Failure | null;
  /** 加载更多 is in flight. */
  loadingMore: boolean;
  /** Why the last 加载更多 failed; the entries shown stay. */
  moreError: string | null;
  /** 立即签到 is in flight: the button shows loading and takes no second tap. */
  checkingIn: boolean;
  /** The summary and the first page of history; coming back refreshes both behind what is shown. */
  load(): Promise<void>;
  loadMore(): Promise<void>;
  checkIn(): Promise<CheckInOutcome>;
}

/** What the toast says after a check-in that added points. */
export function checkInMessage(awarded: number, bonus: boolean): string {
  return bonus ? `连续签到奖励 +${awarded} 积分` : `签到成功 +${awarded} 积分`;
}

export const ALREADY_CHECKED_IN = '今日已签到，明天再来吧';

export const usePointsCenterStore = create<PointsCenterState>((set, get) => {
  const loadSummary = latestLoad<PointsCenterState>(set, 'points.summary');
  // A reload of the history drops any page still on its way: it belongs to the history before.
  let ledgerTicket = 0;

  const loadLedger = async (keep: boolean) => {
    const ticket = ++ledgerTicket;
    set(
      keep
        ? { ledgerError: null, ledgerFailure: null, loadingMore: false, moreError: null }
        : {
            ledgerStatus: 'loading',
            entries: [],
            nextCursor: null,
            ledgerError: null,
            ledgerFailure: null,
            loadingMore: false,
            moreError: null,
          },
    );
    try {
      const { entries, nextCursor } = await pointsService.ledger();
      if (ticket === ledgerTicket) set({ ledgerStatus: 'ready', entries, nextCursor });
    } catch (error) {
      const failure = toFailure(error, 'points.ledger');
      if (ticket !== ledgerTicket) return;
      set(
        keep
          ? { ledgerError: failure.message, ledgerFailure: failure }
          : { ledgerStatus: 'error', ledgerError: failure.message, ledgerFailure: failure },
      );
    }
  };

  return {
    status: 'idle',
    summary: null,
    error: null,
    failure: null,
    entries: [],
    nextCursor: null,
    ledgerStatus: 'idle',
    ledgerError: null,
    ledgerFailure: null,
    loadingMore: false,
    moreError: null,
    checkingIn: false,
    async load() {
      const keep = get().status === 'ready';
      await Promise.all([
        loadSummary(
          keep,
          { summary: null },
          () => pointsService.summary(),
          (summary) => ({ summary }),
        ),
        loadLedger(get().ledgerStatus === 'ready'),
      ]);
    },
    async loadMore() {
      const { nextCursor, loadingMore, ledgerStatus } = get();
      if (!nextCursor || loadingMore || ledgerStatus !== 'ready') return;
      const ticket = ledgerTicket;
      set({ loadingMore: true, moreError: null });
      try {
        const page = await pointsService.ledger(nextCursor);
        if (ticket !== ledgerTicket) return;
        const known = new Set(get().entries.map((entry) => entry.key));
        set({
          entries: [...get().entries, ...page.entries.filter((entry) => !known.has(entry.key))],
          nextCursor: page.nextCursor,
          loadingMore: false,
        });
      } catch (error) {
        const failure = toFailure(error, 'points.ledger');
        if (ticket === ledgerTicket) set({ loadingMore: false, moreError: failure.message });
      }
    },
    async checkIn() {
      if (get().checkingIn) return { kind: 'busy' };
      set({ checkingIn: true });
      try {
        const answer = await pointsService.checkIn();
        // Through the summary's own latest-only load, so an older load still on its way cannot land over it.
        await loadSummary(
          true,
          {},
          async () => answer.summary,
          (summary) => ({ summary }),
        );
        if (!answer.checkedIn) return { kind: 'already', message: ALREADY_CHECKED_IN };
        // The new entry heads the history.
        void loadLedger(get().ledgerStatus === 'ready');
        return { kind: 'checked_in', awarded: answer.awarded, bonus: answer.bonus, message: checkInMessage(answer.awarded, answer.bonus) };
      } catch (error) {
        const failure = toFailure(error, 'points.checkIn');
        // A refusal may mean the day moved on elsewhere: show the calendar as it is now.
        if (failure.code !== 'UNAVAILABLE') void get().load();
        return { kind: 'failed', message: failure.message };
      } finally {
        set({ checkingIn: false });
      }
    },
  };
});
