import { create } from 'zustand';
import type { BargainOfferView, TaskView } from '../../core/contracts/bargain';
import { fenText } from '../../core/fission/bargain';
import { saveLastAddress } from '../services/address';
import * as bargainService from '../services/bargain';
import { type Failure, toFailure } from '../services/errors';
import { type AddressFormActions, type AddressFormState, addressFormActions, EMPTY_ADDRESS_FORM, lastAddressForm } from './address-form';
import { latestLoad } from './latest-load';
import { clockOffsetMs, remainingMs } from './order-clock';
import { type PayPhase, payAndConfirm } from './pay-flow';
import type { LoadStatus } from './useMemberStore';

export type BargainPhase = 'idle' | 'starting' | 'cutting' | 'buying' | PayPhase;

export type BargainOutcome =
  /** Done; `message` is what to tell the member (你帮TA砍掉了 ¥7.99). */
  | { kind: 'done'; message: string }
  /** Not done; `message` is the server's Chinese reason or the network message (the page was read again). */
  | { kind: 'failed'; message: string }
  /** Something is already in flight, or nothing is loaded: the tap is ignored. */
  | { kind: 'busy' };

export type BuyOutcome =
  | BargainOutcome
  /** The order exists: the page goes to it, saying how far paying got. */
  | { kind: 'ordered'; orderId: string; payment: 'confirmed' | 'pending' | 'unpaid'; message?: string }
  /** The address has a problem (shown beside its field); `message` is the first one. */
  | { kind: 'invalid'; message: string };

export interface BargainState extends AddressFormState, AddressFormActions {
  /** What the page shows: `list` (running bargains), `bargain:<id>` (the offer and the caller's task in it) or `task:<id>`. */
  key: string | null;
  status: LoadStatus;
  /** The running bargains and the caller's own tasks (`list`). */
  offers: BargainOfferView[];
  myTasks: Array<{ task: TaskView; offer: BargainOfferView }>;
  offer: BargainOfferView | null;
  /** The task shown: the caller's own in the offer, or the one the page was opened for. */
  task: TaskView | null;
  /** The offer: whether the caller may start a task now, and why not (Chinese). */
  canStart: boolean;
  blocked: string | null;
  /** Server clock minus phone clock when the page was read: the countdown runs on the server's time. */
  offsetMs: number;
  error: string | null;
  failure: Failure | null;
  phase: BargainPhase;
  /** A new visit: the last address used, nothing in flight. */
  begin(): void;
  loadList(): Promise<void>;
  loadOffer(bargainId: string): Promise<void>;
  loadTask(taskId: string): Promise<void>;
  /** 发起砍价: the caller's task (or their live one), shown in place of the offer's button. */
  startTask(): Promise<BargainOutcome>;
  /** 帮TA砍一刀 on the task shown. */
  cut(): Promise<BargainOutcome>;
  /** 立即购买 at the task's price now (the server's), then the payment sheet. */
  buy(): Promise<BuyOutcome>;
  /** Milliseconds until the task ends, on the server's clock (0 without a task). */
  leftMs(now?: number): number;
}

/** Reads the page again after a refusal, so the state the server has explains itself. */
function reload(get: () => BargainState): void {
  const { key } = get();
  if (key === 'list') void get().loadList();
  else if (key?.startsWith('bargain:')) void get().loadOffer(key.slice('bargain:'.length));
  else if (key?.startsWith('task:')) void get().loadTask(key.slice('task:'.length));
}

/** The bargain page: an offer with its whole schedule of cuts, a task, and the three things to do there. */
export const useBargainStore = create<BargainState>((set, get) => {
  const load = latestLoad<BargainState>(set, 'bargain.load');
  /** Runs one action with the phase set, answering the server's refusal in the member's words. */
  const act = async (phase: BargainPhase, run: () => Promise<BargainOutcome>, label: string): Promise<BargainOutcome> => {
    if (get().phase !== 'idle' || get().status !== 'ready') return { kind: 'busy' };
    set({ phase });
    try {
      return await run();
    } catch (error) {
      const failure = toFailure(error, label);
      if (failure.code !== 'UNAVAILABLE') reload(get);
      return { kind: 'failed', message: failure.message };
    } finally {
      set({ phase: 'idle' });
    }
  };
  return {
    key: null,
    status: 'idle',
    offers: [],
    myTasks: [],
    offer: null,
    task: null,
    canStart: false,
    blocked: null,
    offsetMs: 0,
    error: null,
    failure: null,
    phase: 'idle',
    ...EMPTY_ADDRESS_FORM,
    begin() {
      set({ phase: 'idle', ...lastAddressForm() });
    },
    loadList() {
      return load(
        get().key === 'list' && get().status === 'ready',
        { key: 'list', offers: [], myTasks: [], offer: null, task: null },
        () => Promise.all([bargainService.list(), bargainService.mine()]),
        ([{ offers, serverTime }, { tasks }]) => ({ offers, myTasks: tasks, offsetMs: clockOffsetMs(serverTime) }),
      );
    },
    loadOffer(bargainId) {
      const key = `bargain:${bargainId}`;
      return load(
        get().key === key && get().status === 'ready',
        { key, offer: null, task: null, canStart: false, blocked: null },
        () => bargainService.offer(bargainId),
        ({ offer, myTask, canStart, blocked, serverTime }) => ({
          offer,
          task: myTask,
          canStart,
          blocked,
          offsetMs: clockOffsetMs(serverTime),
        }),
      );
    },
    loadTask(taskId) {
      const key = `task:${taskId}`;
      return load(
        get().key === key && get().status === 'ready',
        { key, offer: null, task: null, canStart: false, blocked: null },
        () => bargainService.task(taskId),
        ({ task, offer, serverTime }) => ({ task, offer, offsetMs: clockOffsetMs(serverTime) }),
      );
    },
    startTask() {
      return act(
        'starting',
        async () => {
          const { offer } = get();
          if (!offer) return { kind: 'busy' };
          const started = await bargainService.start(offer.bargainId);
          set({ task: started.task, offer: started.offer, canStart: false, offsetMs: clockOffsetMs(started.serverTime) });
          return { kind: 'done', message: started.repeated ? '你的砍价还在进行中' : '砍价已发起' };
        },
        'bargain.start',
      );
    },
    cut() {
      return act(
        'cutting',
        async () => {
          const { task } = get();
          if (!task?.me.canCut) return { kind: 'busy' };
          const answer = await bargainService.cut(task.taskId);
          set({ task: answer.task, offsetMs: clockOffsetMs(answer.serverTime) });
          return { kind: 'done', message: answer.repeated ? `你已帮TA砍掉 ${fenText(answer.fen)}` : `你帮TA砍掉了 ${fenText(answer.fen)}` };
        },
        'bargain.cut',
      );
    },
    async buy() {
      const { task, phase, status } = get();
      if (phase !== 'idle' || status !== 'ready' || !task?.me.canBuy) return { kind: 'busy' };
      const taken = get().takeAddress();
      if (!taken.ok) return { kind: 'invalid', message: taken.message };
      set({ phase: 'buying', address: taken.address, editingAddress: false });
      try {
        const { order, payment } = await bargainService.buy(task.taskId, taken.address);
        saveLastAddress(taken.address);
        const orderId = order.orderId;
        if (order.state !== 'created') return { kind: 'ordered', orderId, payment: 'confirmed' };
        if (!payment) return { kind: 'ordered', orderId, payment: 'unpaid', message: '订单已提交，请在订单中完成支付' };
        const paid = await payAndConfirm(order, payment, (next) => set({ phase: next }));
        if (paid.kind === 'confirmed') return { kind: 'ordered', orderId, payment: 'confirmed' };
        if (paid.kind === 'pending') return { kind: 'ordered', orderId, payment: 'pending' };
        return {
          kind: 'ordered',
          orderId,
          payment: 'unpaid',
          message: paid.kind === 'cancelled' ? '支付已取消，可在订单中继续支付' : paid.message,
        };
      } catch (error) {
        const failure = toFailure(error, 'bargain.buy');
        if (failure.code !== 'UNAVAILABLE') reload(get);
        return { kind: 'failed', message: failure.message };
      } finally {
        set({ phase: 'idle' });
      }
    },
    ...addressFormActions(get, set),
    leftMs(now) {
      const { task, offsetMs } = get();
      return task ? remainingMs(task.expiresAt, offsetMs, now) : 0;
    },
  };
});
