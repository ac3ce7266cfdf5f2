import { create } from 'zustand';
import type { DrawView } from '../../core/contracts/lottery';
import { saveLastAddress } from '../services/address';
import { type Failure, toFailure } from '../services/errors';
import * as lotteryService from '../services/lottery';
import { type AddressFormActions, type AddressFormState, addressFormActions, EMPTY_ADDRESS_FORM, lastAddressForm } from './address-form';
import { latestLoad } from './latest-load';
import type { LoadStatus } from './useMemberStore';

export type ClaimOutcome =
  | { kind: 'claimed'; draw: DrawView }
  /** The address has a problem (shown beside its field). */
  | { kind: 'invalid'; message: string }
  /** Refused, or no answer: the sheet stays and the member may try again (a claim is placed once). */
  | { kind: 'failed'; message: string }
  | { kind: 'busy' };

export interface MyDrawsState extends AddressFormState, AddressFormActions {
  status: LoadStatus;
  draws: DrawView[];
  /** Only the prizes (no 谢谢参与). */
  onlyWon: boolean;
  error: string | null;
  failure: Failure | null;
  /** The product prize whose address sheet is open. */
  claiming: string | null;
  submitting: boolean;
  load(onlyWon?: boolean): Promise<void>;
  openClaim(drawId: string): void;
  closeClaim(): void;
  claim(): Promise<ClaimOutcome>;
}

export const useMyDrawsStore = create<MyDrawsState>((set, get) => {
  const load = latestLoad<MyDrawsState>(set, 'lottery.mine');
  return {
    status: 'idle',
    draws: [],
    onlyWon: false,
    error: null,
    failure: null,
    claiming: null,
    submitting: false,
    ...EMPTY_ADDRESS_FORM,
    ...addressFormActions(get, set),
    load: (onlyWon) => {
      const only = onlyWon ?? get().onlyWon;
      const same = get().status === 'ready' && get().onlyWon === only;
      set({ onlyWon: only });
      return load(
        same,
        { draws: [] },
        () => lotteryService.mine(only),
        ({ draws }) => ({ draws }),
      );
    },
    openClaim: (drawId) => set({ claiming: drawId, ...lastAddressForm() }),
    closeClaim: () => set({ claiming: null }),
    async claim() {
      const { claiming, submitting } = get();
      if (!claiming || submitting) return { kind: 'busy' };
      const taken = get().takeAddress();
      if (!taken.ok) return { kind: 'invalid', message: taken.message };
      set({ submitting: true });
      try {
        const answer = await lotteryService.claim(claiming, taken.address);
        saveLastAddress(taken.address);
        set({
          submitting: false,
          claiming: null,
          draws: get().draws.map((draw) => (draw.drawId === answer.draw.drawId ? answer.draw : draw)),
        });
        return { kind: 'claimed', draw: answer.draw };
      } catch (error) {
        set({ submitting: false });
        return { kind: 'failed', message: toFailure(error, 'lottery.claim').message };
      }
    },
  };
});
