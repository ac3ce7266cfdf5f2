import type { ActivityInput } from '../../core/contracts/groupbuy-admin';
import { DuetError } from '../../core/errors';
import { DEFAULT_HOLD_MINUTES } from '../../core/groupbuy/rules';
import { findActivity, insertActivity, type ActivityDoc } from '../groupbuy/repository';
import { newId } from '../ids';
import { findProduct, findSkus } from '../shop/repository';
import { groupBuyRows } from './group-buy-row';

/**
 * `createGroupBuy`: every problem reported at once and nothing written when there is one (the
 * product and its SKUs exist, each group price below the SKU's own, the window makes sense, 模拟成团
 * below the size). Insert-once by id: the same id with the same activity answers it (created: false).
 */
export async function createGroupBuy(request: { id?: string; activity: ActivityInput }, now: Date) {
  const input = request.activity;
  const problems: string[] = [];
  const product = await findProduct(input.productId);
  if (!product) problems.push(`activity.productId: no product ${input.productId}`);
  const skus = new Map((await findSkus(input.skus.map((s) => s.skuId))).map((sku) => [sku._id, sku]));
  input.skus.forEach((line, i) => {
    const sku = skus.get(line.skuId);
    if (!sku || sku.productId !== input.productId)
      problems.push(`activity.skus[${i}].skuId: ${line.skuId} is not a SKU of ${input.productId}`);
    else if (line.groupPrice >= sku.price)
      problems.push(`activity.skus[${i}].groupPrice: ${line.groupPrice} fen is not below the SKU's price ${sku.price}`);
  });
  if (new Set(input.skus.map((s) => s.skuId)).size !== input.skus.length) problems.push('activity.skus: a SKU is listed twice');
  const startAt = new Date(input.startAt);
  const endAt = new Date(input.endAt);
  if (endAt.getTime() <= startAt.getTime()) problems.push('activity.endAt: the window ends after it starts');
  if (endAt.getTime() <= now.getTime()) problems.push('activity.endAt: the window has already ended');
  if (input.simulateMinPaid != null && input.simulateMinPaid >= input.size) {
    problems.push(`activity.simulateMinPaid: ${input.simulateMinPaid} must be below the group size ${input.size}`);
  }
  if (problems.length > 0) throw new DuetError('INVALID_ARGUMENT', problems.join('; '));

  const id = request.id ?? `gb-${newId().slice(0, 16)}`;
  const doc = activityDoc(id, input, now);
  const created = await insertActivity(doc);
  const stored = created ? doc : await findActivity(id);
  if (!stored) throw new DuetError('INTERNAL', `activity ${id} exists and cannot be read`);
  if (!created && fingerprint(stored) !== fingerprint(doc)) {
    throw new DuetError('ALREADY_EXISTS', `activity ${id} exists with other settings: pick another id, or change it with updateGroupBuy`);
  }
  const [row] = await groupBuyRows([stored]);
  return { activity: row, created };
}

/** The activity document an input makes (checked by `createGroupBuy`; the demo seed writes its own, fixed, with it). */
export function activityDoc(id: string, input: ActivityInput, now: Date): ActivityDoc {
  return {
    _id: id,
    title: input.title,
    productId: input.productId,
    skus: input.skus.map(({ skuId, groupPrice }) => ({ skuId, groupPrice })),
    size: input.size,
    fillHours: input.fillHours,
    holdMinutes: input.holdMinutes ?? DEFAULT_HOLD_MINUTES,
    startAt: new Date(input.startAt),
    endAt: new Date(input.endAt),
    stock: input.stock,
    stockLeft: input.stock,
    perMemberLimit: input.perMemberLimit ?? 1,
    leaderNewMembersOnly: input.leaderNewMembersOnly ?? false,
    simulateMinPaid: input.simulateMinPaid ?? null,
    latePayment: input.latePayment ?? 'place',
    couponsAllowed: input.couponsAllowed ?? false,
    paused: false,
    createdAt: now,
    updatedAt: now,
  };
}

function fingerprint(doc: ActivityDoc): string {
  const { createdAt, updatedAt, stockLeft, paused, ...rest } = doc;
  return JSON.stringify({ ...rest, startAt: new Date(rest.startAt).toISOString(), endAt: new Date(rest.endAt).toISOString() });
}
