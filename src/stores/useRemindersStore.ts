import { create } from 'zustand';
import type { GrantView } from '../../core/contracts/notice';
import type { GrantAnswer } from '../../core/notice/grants';
import { type Failure, toFailure } from '../services/errors';
import * as noticeService from '../services/notice';
import { requestSubscribe } from '../services/wechat-sheets';
import { latestLoad } from './latest-load';
import { answerOf, callNow, recordAnswers } from './record-answers';
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

export { RECORD_RETRY_DELAYS_MS } from './record-answers';

export const useRemindersStore = create<RemindersState>((set, get) => {
  const load = latestLoad<RemindersState>(set, 'notice.reminders');

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
      return callNow(() => requestSubscribe([templateId], { [templateId]: grant.title })).then(
        (result: Record<string, string>): Promise<EnableOutcome> => {
          const answer = answerOf(result[templateId]);
          // The button keeps loading until the list shows what the server now holds.
          return recordAnswers({ requestId: noticeService.newRequestId(), answers: { [templateId]: answer } })
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
