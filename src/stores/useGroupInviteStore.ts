import { create } from 'zustand';
import type { ActivityView, GroupView } from '../../core/contracts/groupbuy';
import { type Failure, toFailure } from '../services/errors';
import * as groupbuyService from '../services/groupbuy';
import * as orderService from '../services/order';
import { latestLoad } from './latest-load';
import { clockOffsetMs, remainingMs } from './order-clock';
import type { LoadStatus } from './useMemberStore';
import { confirmPayment, type PayPhase, payAndConfirm, payOutcomeAnswer } from './pay-flow';

export type InviteOutcome =
  /** Done; `message` is what to tell the member (支付成功). */
  | { kind: 'done'; message: string }
  /** Not done; `message` is the server's Chinese reason or the network message. */
  | { kind: 'failed'; message: string }
  /** A payment is already in flight, or there is nothing to pay: the tap is ignored. */
  | { kind: 'busy' };

export interface GroupInviteState {
  /** The group asked for last; the page shows `group` only when it is that one. */
  groupId: string | null;
  status: LoadStatus;
  group: GroupView | null;
  activity: ActivityView | null;
  /** Server clock minus phone clock when the group was read: countdowns run on the server's time. */
  offsetMs: number;
  error: string | null;
  failure: Failure | null;
  /** Where 去支付 is: the sheet is open, or WeChat said paid and the server is being asked. */
  payPhase: PayPhase | null;
  /** WeChat said paid but the server has not confirmed yet: the page says 支付确认中. */
  confirming: boolean;
  load(groupId: string): Promise<void>;
  /** Pays the seat the member holds (its order), then reads the group again. */
  pay(): Promise<InviteOutcome>;
  /** After checkout when the pay callback was late: asks a few seconds more, then reads the group. */
  watchPayment(): Promise<void>;
  /** Milliseconds until the group's deadline, on the server's clock. */
  deadlineLeftMs(now?: number): number;
  /** Milliseconds left to pay a held seat, on the server's clock (0 when none is held). */
  payLeftMs(now?: number): number;
}

/** The invite page: one group, its activity and the member's place in it, with 去支付 for a held seat. */
export const useGroupInviteStore = create<GroupInviteState>((set, get) => {
  const load = latestLoad<GroupInviteState>(set, 'groupbuy.group');
  return {
    groupId: null,
    status: 'idle',
    group: null,
    activity: null,
    offsetMs: 0,
    error: null,
    failure: null,
    payPhase: null,
    confirming: false,
    load(groupId) {
      const same = get().groupId === groupId && get().status === 'ready';
      return load(
        same,
        { groupId, group: null, activity: null, confirming: false },
        () => groupbuyService.group(groupId),
        ({ group, activity, serverTime }) => ({ group, activity, offsetMs: clockOffsetMs(serverTime) }),
      );
    },
    async pay() {
      const { group, payPhase } = get();
      const orderId = group?.me.action === 'pay' ? group.me.orderId : null;
      if (!group || !orderId || payPhase) return { kind: 'busy' };
      set({ payPhase: 'paying' });
      try {
        const { order, payment } = await orderService.pay(orderId);
        const outcome = await payAndConfirm(order, payment, (phase) => set({ payPhase: phase }));
        if (outcome.kind === 'pending') set({ confirming: true });
        // The seat, the group's count and the button all move with the payment: read them again.
        if (outcome.kind === 'confirmed' || outcome.kind === 'pending') await get().load(group.groupId);
        return payOutcomeAnswer(outcome);
      } catch (error) {
        const failure = toFailure(error, 'order.pay');
        // The hold ran out or the group ended meanwhile: the group as it is now explains itself.
        if (failure.code !== 'UNAVAILABLE') void get().load(group.groupId);
        return { kind: 'failed', message: failure.message };
      } finally {
        set({ payPhase: null });
      }
    },
    async watchPayment() {
      const { group, groupId } = get();
      const orderId = group?.me.orderId;
      if (!orderId || !groupId) return;
      set({ confirming: true });
      const outcome = await confirmPayment(orderId);
      if (get().groupId !== groupId) return;
      if (outcome.kind === 'confirmed') set({ confirming: false });
      await get().load(groupId);
    },
    deadlineLeftMs(now) {
      const { group, offsetMs } = get();
      return group ? remainingMs(group.deadline, offsetMs, now) : 0;
    },
    payLeftMs(now) {
      const { group, offsetMs } = get();
      return group?.me.payBy ? remainingMs(group.me.payBy, offsetMs, now) : 0;
    },
  };
});
