import { type AddressErrors, type AddressField, type AddressFields, addressErrors, normalizeAddress } from '../../core/order/address';

/** The address a page asks for before it ships something (checkout, a mall item): what it holds. */
export interface AddressFormState {
  address: AddressFields;
  addressErrors: AddressErrors;
  editingAddress: boolean;
}

/** What the page does with it: a field typed (its error clears), edit again, confirm (checked and normalized). */
export interface AddressFormActions {
  setAddressField(field: AddressField, value: string): void;
  editAddress(): void;
  /** False when a field is wrong: the errors show and the form stays open. */
  confirmAddress(): boolean;
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
  };
}
