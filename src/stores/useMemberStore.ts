import { create } from 'zustand';
import type { MemberSummary, MemberView } from '../../core/contracts/member';
import * as memberService from '../services/member';
import { type Failure, toFailure } from '../services/errors';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface MemberState {
  member: MemberView | null;
  status: LoadStatus;
  /** Chinese, ready to show. */
  error: string | null;
  /** Why login failed (code and request id), for support; null otherwise. */
  failure: Failure | null;
  /** Counts for the coupon and order entries; null until loaded or when loading failed. */
  summary: MemberSummary | null;
  /** Why the counts could not be loaded; the entries then show no count. */
  summaryFailure: Failure | null;
  /** The login call in flight, which a second `login()` waits for instead of calling again. */
  loginCall: Promise<void> | null;
  login(): Promise<void>;
  loadSummary(): Promise<void>;
  reset(): void;
}

export const useMemberStore = create<MemberState>((set, get) => ({
  member: null,
  status: 'idle',
  error: null,
  failure: null,
  summary: null,
  summaryFailure: null,
  loginCall: null,
  async loadSummary() {
    try {
      set({ summary: await memberService.summary(), summaryFailure: null });
    } catch (error) {
      // The entries then show no count; the member card itself is unaffected.
      set({ summary: null, summaryFailure: toFailure(error, 'member.summary') });
    }
  },
  login() {
    // The app logs in at launch and a page may ask too: both wait for the one call in flight.
    const inflight = get().loginCall;
    if (inflight) return inflight;
    const call = memberService
      .login()
      .then(
        (member) => set({ member, status: 'ready' }),
        (error) => {
          const failure = toFailure(error, 'member.login');
          set({ status: 'error', error: failure.message, failure });
        },
      )
      .finally(() => set({ loginCall: null }));
    set({ status: 'loading', error: null, failure: null, loginCall: call });
    return call;
  },
  reset() {
    set({ member: null, status: 'idle', error: null, failure: null, summary: null, summaryFailure: null, loginCall: null });
  },
}));
