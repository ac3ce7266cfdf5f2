import type { BargainInput } from '../../../core/contracts/bargain-admin';
import type { BargainDoc } from './repository';

/** The bargain document an input makes (checked by `createBargain`; the demo seed writes its own with it). */
export function bargainDoc(id: string, input: BargainInput, sku: { productId: string; price: number }, now: Date): BargainDoc {
  return {
    _id: id,
    title: input.title,
    productId: sku.productId,
    skuId: input.skuId,
    price: sku.price,
    floor: input.floorPrice,
    friends: input.friends,
    startAt: new Date(input.startAt),
    endAt: new Date(input.endAt),
    taskHours: input.taskHours,
    stock: input.stock ?? null,
    stockLeft: input.stock ?? null,
    perMemberLimit: input.perMemberLimit ?? 1,
    started: 0,
    createdAt: now,
    updatedAt: now,
  };
}
