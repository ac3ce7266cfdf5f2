import {
  type AddressErrors,
  type AddressField,
  type AddressFields,
  addressErrors,
  isCompleteAddress,
  normalizeAddress,
} from '../../core/order/address';
import { loadLastAddress } from '../services/address';

/** The address a page asks for before it ships something (checkout, a mall item): what it holds. */
export interface AddressFormState {
  address: AddressFields;
  addressErrors: AddressErrors;
  /** The form is open; otherwise the saved address shows as a card with 修改. */
  editingAddress: boolean;
}

const EMPTY_ADDRESS: AddressFields = { name: '', phone: '', region: '', detail: '' };

/** Before anything is known: an empty form, open. */
export const EMPTY_ADDRESS_FORM: AddressFormState = { address: EMPTY_ADDRESS, addressErrors: {}, editingAddress: true };

/** A new visit starts from the last address used, the form open only when it is incomplete. */
export function lastAddressForm(): AddressFormState {
  const saved = loadLastAddress();
  return { address: saved ?? EMPTY_ADDRESS, addressErrors: {}, editingAddress: !isCompleteAddress(saved) };
}

/** What the page does with it: a field typed (its error clears), edit again, confirm (checked and normalized). */
export interface AddressFormActions {
  setAddressField(field: AddressField, value: string): void;
  editAddress(): void;
  /** Closes the form when the address is complete; answers whether it was. */
  confirmAddress(): boolean;
  /** The address to send, normalized; or its first problem, with every problem shown in the open form. */
  takeAddress(): { ok: true; address: AddressFields } | { ok: false; message: string };
}

/** The address form's actions for a store that holds `AddressFormState` (checkout and the mall item share them). */
export function addressFormActions(get: () => AddressFormState, set: (partial: Partial<AddressFormState>) => void): AddressFormActions {
  return {
    setAddressField(field, value) {
      const { address, addressErrors: errors } = get();
      const { [field]: _fixed, ...others } = errors;
      set({ address: { ...address, [field]: value }, addressErrors: others });
    },
    editAddress() {
      set({ editingAddress: true });
    },
    confirmAddress() {
      const errors = addressErrors(get().address);
      const ok = Object.keys(errors).length === 0;
      set({ addressErrors: errors, editingAddress: !ok, ...(ok ? { address: normalizeAddress(get().address) } : {}) });
      return ok;
    },
    takeAddress() {
      const errors = addressErrors(get().address);
      const firstError = Object.values(errors)[0];
      if (!firstError) return { ok: true, address: normalizeAddress(get().address) };
      set({ addressErrors: errors, editingAddress: true });
      return { ok: false, message: firstError };
    },
  };
}
