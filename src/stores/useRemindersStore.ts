import { create } from 'zustand';
import type { GrantView } from '../../core/contracts/notice';
import type { GrantAnswer } from '../../core/notice/grants';
import { type Failure, toFailure } from '../services/errors';
import * as noticeService from '../services/notice';
import { requestSubscribe } from '../services/wechat-sheets';
import { latestLoad } from './latest-load';
import type { LoadStatus } from './useMemberStore';

export type EnableOutcome =
  /** The member answered the sheet; the list shows the ledger read again. */
  | { kind: 'answered'; answer: GrantAnswer }
  /** The sheet did not open or answer (WeChat refused it, the member's notifications are off). */
  | { kind: 'failed' }
  /** Not on the list, or banned: no sheet (WeChat would not show it). */
  | { kind: 'nothing' }
  /** A sheet is already open: the tap is ignored. */
  | { kind: 'busy' };

export interface RemindersState {
  status: LoadStatus;
  /** Every template the app asks for, in the server's order, with the grants the member holds. */
  grants: GrantView[];
  error: string | null;
  failure: Failure | null;
  /** The template whose sheet is open or whose answer is being recorded: its button loads, the others take no tap. */
  enabling: string | null;
  load(): Promise<void>;
  /** From the member's tap on 开启: WeChat's sheet for that one template, its answer to the server, the list read again. */
  enable(templateId: string): Promise<EnableOutcome>;
}

/** What WeChat answers for a template, as the ledger counts it; `acceptWithAudio` and the like are accepts. */
function answerOf(value: string | undefined): GrantAnswer {
  if (value?.startsWith('accept')) return 'accept';
  return value === 'ban' || value === 'filter' ? value : 'reject';
}

/** Waits before sending the answer again when the server did not answer (as the moments' asks do). */
export const RECORD_RETRY_DELAYS_MS: readonly number[] = [600, 1500];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls `start` now (not a turn later) and answers its promise; a synchronous throw becomes a rejection. */
const now = <T>(start: () => Promise<T>) => new Promise<T>((resolve) => resolve(start()));

export const useRemindersStore = create<RemindersState>((set, get) => {
  const load = latestLoad<RemindersState>(set, 'notice.reminders');

  /** The answer, sent again with the same requestId (counted once) while the server does not answer. */
  const record = (answers: Record<string, GrantAnswer>, requestId: string, attempt = 0): Promise<void> =>
    now(() => noticeService.recordGrants({ requestId, answers })).then(
      () => undefined,
      (error) => {
        const failure = toFailure(error, 'notice.recordGrants');
        if (failure.code === 'UNAVAILABLE' && attempt < RECORD_RETRY_DELAYS_MS.length) {
          return sleep(RECORD_RETRY_DELAYS_MS[attempt]).then(() => record(answers, requestId, attempt + 1));
        }
        // WeChat holds the answer; only our ledger missed it. The list read again shows what the ledger holds.
        console.warn('[duet] subscription answer not recorded:', failure.code, failure.requestId ?? '');
      },
    );

  return {
    status: 'idle',
    grants: [],
    error: null,
    failure: null,
    enabling: null,
    load: () =>
      load(
        get().status === 'ready',
        { grants: [] },
        () => noticeService.reminders(),
        ({ grants }) => ({ grants }),
      ),
    enable(templateId) {
      if (get().enabling) return Promise.resolve({ kind: 'busy' });
      const grant = get().grants.find((g) => g.templateId === templateId);
      if (!grant || grant.banned) return Promise.resolve({ kind: 'nothing' });
      set({ enabling: templateId });
      // The sheet opens within this call: WeChat opens it only within the tap that asked for it.
      return now(() => requestSubscribe([templateId], { [templateId]: grant.title })).then(
        (result: Record<string, string>): Promise<EnableOutcome> => {
          const answer = answerOf(result[templateId]);
          // The button keeps loading until the list shows what the server now holds.
          return record({ [templateId]: answer }, noticeService.newRequestId())
            .then(() => get().load())
            .then((): EnableOutcome => {
              set({ enabling: null });
              return { kind: 'answered', answer };
            });
        },
        (error): EnableOutcome => {
          toFailure(error, 'requestSubscribeMessage');
          set({ enabling: null });
          return { kind: 'failed' };
        },
      );
    },
  };
});
