import { create } from 'zustand';
import type { VisitRequest, VisitResult } from '../../core/contracts/member';
import * as entryService from '../services/entry';
import { CloudCallError } from '../services/errors';

export interface EntryState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  result: VisitResult | null;
  error: string | null;
  /** Resolves the arrival (article code, share card or direct) and remembers where to go. */
  visit(request: VisitRequest): Promise<VisitResult | null>;
}

export const useEntryStore = create<EntryState>((set) => ({
  status: 'idle',
  result: null,
  error: null,
  async visit(request) {
    set({ status: 'loading', error: null });
    try {
      const result = await entryService.visit(request);
      set({ status: 'ready', result });
      return result;
    } catch (error) {
      set({ status: 'error', error: error instanceof CloudCallError ? error.message : '网络异常，请稍后重试' });
      return null;
    }
  },
}));
