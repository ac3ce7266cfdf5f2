import Taro from '@tarojs/taro';
import type { AddressInput } from '../../core/contracts/order';

/**
 * The member's last delivery address, on the phone only: the next checkout starts filled in. It is
 * not sent anywhere until an order is placed with it.
 */
const STORAGE_KEY = 'duet.address';

export function loadLastAddress(): AddressInput | null {
  try {
    const stored = Taro.getStorageSync(STORAGE_KEY) as unknown;
    if (!stored || typeof stored !== 'object') return null;
    const { name, phone, region, detail } = stored as Record<string, unknown>;
    if ([name, phone, region, detail].some((value) => typeof value !== 'string')) return null;
    return { name, phone, region, detail } as AddressInput;
  } catch {
    // Storage unavailable (private mode, quota): the form simply starts empty.
    return null;
  }
}

export function saveLastAddress(address: AddressInput): void {
  try {
    Taro.setStorageSync(STORAGE_KEY, { ...address });
  } catch {
    // Remembering is a convenience; an order never fails for it.
  }
}
