import { create } from 'zustand';
import type { VisitRequest, VisitResult } from '../../core/contracts/member';
import * as entryService from '../services/entry';
import { type Failure, toFailure } from '../services/errors';

export interface EntryState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  result: VisitResult | null;
  error: string | null;
  /** Why the last visit failed (code and request id), for support; null otherwise. */
  failure: Failure | null;
  /** Resolves the arrival (article code, share card or direct) and remembers where to go. */
  visit(request: VisitRequest): Promise<VisitResult | null>;
  /** The reader closed the notice (an unknown or expired code) on the page they landed on. */
  dismissNotice(): void;
}

export const useEntryStore = create<EntryState>((set, get) => ({
  status: 'idle',
  result: null,
  error: null,
  failure: null,
  dismissNotice() {
    const result = get().result;
    if (result?.notice) set({ result: { ...result, notice: null } });
  },
  async visit(request) {
    set({ status: 'loading', error: null, failure: null });
    try {
      const result = await entryService.visit(request);
      set({ status: 'ready', result });
      return result;
    } catch (error) {
      const failure = toFailure(error, 'member.visit');
      set({ status: 'error', error: failure.message, failure });
      return null;
    }
  },
}));
