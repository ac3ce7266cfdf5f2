/**
 * A delivery address as the member types it, checked with the order contract's rules
 * (core/contracts/order.ts AddressInput) before it is sent, so a mistake is named beside its field
 * in Chinese instead of coming back as a refused order.
 */
export interface AddressFields {
  name: string;
  phone: string;
  region: string;
  detail: string;
}

export type AddressField = keyof AddressFields;
export type AddressErrors = Partial<Record<AddressField, string>>;

/** The contract's limits after trimming, counted as the contract counts (UTF-16 units). */
export const ADDRESS_LIMITS: Record<Exclude<AddressField, 'phone'>, number> = { name: 20, region: 60, detail: 120 };

export const ADDRESS_FIELDS: readonly AddressField[] = ['name', 'phone', 'region', 'detail'];

const MISSING: Record<AddressField, string> = {
  name: '请填写收货人姓名',
  phone: '请填写手机号码',
  region: '请填写所在地区',
  detail: '请填写详细地址',
};

const TOO_LONG: Record<Exclude<AddressField, 'phone'>, string> = {
  name: `收货人姓名不能超过${ADDRESS_LIMITS.name}个字`,
  region: `所在地区不能超过${ADDRESS_LIMITS.region}个字`,
  detail: `详细地址不能超过${ADDRESS_LIMITS.detail}个字`,
};

/** Trimmed, with the spaces people type inside a phone number removed. */
export function normalizeAddress(address: AddressFields): AddressFields {
  return {
    name: address.name.trim(),
    phone: address.phone.replace(/[\s-]/g, ''),
    region: address.region.trim(),
    detail: address.detail.trim(),
  };
}

/** Every field's problem (none: `{}`), checked on the normalized address. */
export function addressErrors(address: AddressFields): AddressErrors {
  const value = normalizeAddress(address);
  const errors: AddressErrors = {};
  for (const field of ADDRESS_FIELDS) {
    const text = value[field];
    if (!text) {
      errors[field] = MISSING[field];
    } else if (field === 'phone') {
      if (!/^1\d{10}$/.test(text)) errors.phone = '请输入11位手机号码';
    } else if (text.length > ADDRESS_LIMITS[field]) {
      errors[field] = TOO_LONG[field];
    }
  }
  return errors;
}

export function isCompleteAddress(address: AddressFields | null | undefined): address is AddressFields {
  return !!address && Object.keys(addressErrors(address)).length === 0;
}
