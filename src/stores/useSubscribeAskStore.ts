import { create } from 'zustand';
import type { AskableTemplate } from '../../core/contracts/notice';
import type { AskMoment, GrantAnswer } from '../../core/notice/grants';
import { toFailure } from '../services/errors';
import * as noticeService from '../services/notice';
import { requestSubscribe } from '../services/wechat-sheets';
import { answerOf, callNow, recordAnswers } from './record-answers';

/**
 * Where one moment's ask is: `loading` its templates, `ready` to be asked (the card shows when there
 * are templates), `asking` while the sheet is open, `answered` once the member answered it (or the
 * sheet failed): the card stays hidden and this moment is not offered again in this session.
 */
export type AskPhase = 'loading' | 'ready' | 'asking' | 'answered';

export interface MomentAsk {
  phase: AskPhase;
  /** What the sheet offers, read before the tap so the tap opens it at once. Empty: nothing to ask. */
  templates: AskableTemplate[];
}

export type AskOutcome =
  /** The member answered the sheet; `accepted` templates will be sent once each. */
  | { kind: 'answered'; accepted: number }
  /** The sheet did not open or answer (WeChat refused it, the member's notifications are off). */
  | { kind: 'failed' }
  /** Nothing was preloaded for this moment: no sheet. */
  | { kind: 'nothing' }
  /** The sheet is already open: the tap is ignored. */
  | { kind: 'busy' };

export interface SubscribeAskState {
  asks: Partial<Record<AskMoment, MomentAsk>>;
  /** Reads the templates to offer at this moment; a failure leaves nothing to show. */
  load(moment: AskMoment): Promise<void>;
  /** From the member's tap: the sheet with the preloaded templates, then their answers to the server. */
  ask(moment: AskMoment): Promise<AskOutcome>;
}

export { RECORD_RETRY_DELAYS_MS } from './record-answers';

// Promise chains rather than async functions: this store ships in four subpackages, and the ES5
// build turns every async function into a state machine several times its size.
export const useSubscribeAskStore = create<SubscribeAskState>((set, get) => {
  const put = (moment: AskMoment, ask: MomentAsk) => set((state) => ({ asks: { ...state.asks, [moment]: ask } }));
  /** Bumped by every load of a moment: an older load's late answer is dropped. */
  const tickets = new Map<AskMoment, number>();

  return {
    asks: {},
    load(moment) {
      const current = get().asks[moment];
      // Asked already (or asking now): the member is not asked twice in one session.
      if (current?.phase === 'answered' || current?.phase === 'asking') return Promise.resolve();
      const ticket = (tickets.get(moment) ?? 0) + 1;
      tickets.set(moment, ticket);
      // A card on screen stays while it refreshes.
      if (!(current?.phase === 'ready' && current.templates.length > 0)) put(moment, { phase: 'loading', templates: [] });
      return callNow(() => noticeService.askable(moment))
        .then(
          (answer) => answer.templates,
          (error): AskableTemplate[] => {
            // An offer, not the page's content: a failure shows nothing and the page goes on.
            toFailure(error, 'notice.askable');
            return [];
          },
        )
        .then((templates) => {
          const latest = get().asks[moment];
          if (tickets.get(moment) !== ticket || latest?.phase === 'asking' || latest?.phase === 'answered') return;
          put(moment, { phase: 'ready', templates });
        });
    },
    ask(moment) {
      const current = get().asks[moment];
      if (current?.phase === 'asking') return Promise.resolve({ kind: 'busy' });
      if (current?.phase !== 'ready' || current.templates.length === 0) return Promise.resolve({ kind: 'nothing' });
      const ids = current.templates.map((template) => template.id);
      const titles = Object.fromEntries(current.templates.map((template) => [template.id, template.title]));
      put(moment, { phase: 'asking', templates: current.templates });
      // The sheet opens within this call: WeChat opens it only within the tap that asked for it.
      return callNow(() => requestSubscribe(ids, titles)).then(
        (result: Record<string, string>): Promise<AskOutcome> => {
          // Answered: the card goes away at once, whatever the server then says.
          put(moment, { phase: 'answered', templates: [] });
          const answers = Object.fromEntries(ids.map((id) => [id, answerOf(result[id])])) as Record<string, GrantAnswer>;
          const accepted = ids.filter((id) => answers[id] === 'accept').length;
          return recordAnswers({ requestId: noticeService.newRequestId(), moment, answers }).then(() => ({ kind: 'answered', accepted }));
        },
        (error): AskOutcome => {
          toFailure(error, 'requestSubscribeMessage');
          put(moment, { phase: 'answered', templates: [] });
          return { kind: 'failed' };
        },
      );
    },
  };
});
