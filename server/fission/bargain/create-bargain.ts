import type { BargainInput, BargainRow } from '../../../core/contracts/bargain-admin';
import { DuetError } from '../../../core/errors';
import { cutSchedule, planOf, planProblems, ruleLine } from '../../../core/fission/bargain';
import { newId } from '../../ids';
import { findProduct, findSkus } from '../../shop/repository';
import { type BargainDoc, findBargain, findRecentBargains, insertBargain } from './repository';
import { bargainDoc } from './bargain-doc';

const iso = (value: Date | string) => new Date(value).toISOString();

/**
 * `createBargain`: every problem reported at once and nothing written when there is one (the SKU
 * exists and is on a product, the floor is at least 1 fen and at least one fen per friend below the
 * SKU's price, the window makes sense). A task starts at the SKU's price as it is now: the cuts are
 * fixed with the bargain. Insert-once by id: the same id with the same settings answers it (created: false).
 */
export async function createBargain(request: { id?: string; bargain: BargainInput }, now: Date) {
  const input = request.bargain;
  const problems: string[] = [];
  const [sku] = await findSkus([input.skuId]);
  const product = sku ? await findProduct(sku.productId) : null;
  if (!sku || !product) problems.push(`bargain.skuId: no SKU ${input.skuId} on a product`);
  else {
    for (const problem of planProblems({ price: sku.price, floor: input.floorPrice, friends: input.friends }))
      problems.push(`bargain: ${problem} (the price is SKU ${sku._id}'s, ${sku.price} fen)`);
  }
  const startAt = new Date(input.startAt);
  const endAt = new Date(input.endAt);
  if (endAt.getTime() <= startAt.getTime()) problems.push('bargain.endAt: the window ends after it starts');
  if (endAt.getTime() <= now.getTime()) problems.push('bargain.endAt: the window has already ended');
  if (problems.length > 0 || !sku) throw new DuetError('INVALID_ARGUMENT', problems.join('; '));

  const id = request.id ?? `bg-${newId().slice(0, 16)}`;
  const doc = bargainDoc(id, input, { productId: sku.productId, price: sku.price }, now);
  const created = await insertBargain(doc);
  const stored = created ? doc : await findBargain(id);
  if (!stored) throw new DuetError('INTERNAL', `bargain ${id} exists and cannot be read`);
  if (!created && fingerprint(stored) !== fingerprint(doc)) {
    throw new DuetError('ALREADY_EXISTS', `bargain ${id} exists with other settings: pick another id`);
  }
  return { bargain: toBargainRow(stored), created };
}

function fingerprint(doc: BargainDoc): string {
  const { createdAt, updatedAt, stockLeft, started, ...rest } = doc;
  return JSON.stringify({ ...rest, startAt: iso(rest.startAt), endAt: iso(rest.endAt) });
}

export function toBargainRow(doc: BargainDoc): BargainRow {
  const plan = planOf(doc);
  return {
    id: doc._id,
    title: doc.title,
    productId: doc.productId,
    skuId: doc.skuId,
    price: doc.price,
    floorPrice: doc.floor,
    friends: doc.friends,
    cuts: cutSchedule(plan),
    rule: ruleLine(plan),
    startAt: iso(doc.startAt),
    endAt: iso(doc.endAt),
    taskHours: doc.taskHours,
    stock: doc.stock,
    stockLeft: doc.stockLeft,
    perMemberLimit: doc.perMemberLimit,
    started: doc.started,
    createdAt: iso(doc.createdAt),
  };
}

/** `listBargains`: one by id, or the newest first. */
export async function listBargains(input: { bargainId?: string }) {
  if (input.bargainId) {
    const one = await findBargain(input.bargainId);
    if (!one) throw new DuetError('NOT_FOUND', `bargain ${input.bargainId} does not exist`);
    return { bargains: [toBargainRow(one)] };
  }
  return { bargains: (await findRecentBargains(100)).map(toBargainRow) };
}
