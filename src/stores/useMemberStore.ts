import { create } from 'zustand';
import type { MemberSummary, MemberView } from '../../core/contracts/member';
import * as memberService from '../services/member';
import { CloudCallError } from '../services/errors';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface MemberState {
  member: MemberView | null;
  status: LoadStatus;
  /** Chinese, ready to show. */
  error: string | null;
  /** Counts for the coupon and order entries; null until loaded or when loading failed. */
  summary: MemberSummary | null;
  login(): Promise<void>;
  loadSummary(): Promise<void>;
  reset(): void;
}

export const useMemberStore = create<MemberState>((set, get) => ({
  member: null,
  status: 'idle',
  error: null,
  summary: null,
  async loadSummary() {
    try {
      set({ summary: await memberService.summary() });
    } catch {
      // The entries then show no count; the member card itself is unaffected.
      set({ summary: null });
    }
  },
  async login() {
    if (get().status === 'loading') return;
    set({ status: 'loading', error: null });
    try {
      const member = await memberService.login();
      set({ member, status: 'ready' });
    } catch (error) {
      const message = error instanceof CloudCallError ? error.message : '网络异常，请稍后重试';
      set({ status: 'error', error: message });
    }
  },
  reset() {
    set({ member: null, status: 'idle', error: null, summary: null });
  },
}));
