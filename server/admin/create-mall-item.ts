import type { MallItemInput } from '../../core/contracts/points-admin';
import type { CouponTemplateDoc } from '../../core/coupon/coupon';
import { describeTerms, describeValidity, type ValidityText } from '../../core/coupon/labels';
import { DuetError } from '../../core/errors';
import { findTemplate } from '../coupon/repository';
import { newId } from '../ids';
import { findItem, insertItem, type MallItemDoc } from '../points/repository';
import { findProduct, findSkus } from '../shop/repository';
import { mallItemRows } from './mall-item-row';

/**
 * `createMallItem`: every problem reported at once and nothing written when there is one (a coupon
 * item names a template, a product item a SKU on sale, a points + cash item has a cash part below
 * the SKU's price, the window makes sense). Insert-once by id: the same id with the same item
 * answers it (created: false).
 */
export async function createMallItem(request: { id?: string; item: MallItemInput }, now: Date) {
  const input = request.item;
  const problems: string[] = [];
  const cash = input.cash ?? 0;
  let subtitle = '';
  let imageFileId: string | null = null;
  let originalPrice: number | null = null;
  if (input.kind === 'coupon') {
    if (!input.templateId) problems.push('item.templateId: a coupon item names the coupon template it issues');
    if (input.skuId) problems.push('item.skuId: a coupon item ships nothing');
    if (cash !== 0) problems.push('item.cash: a coupon item is points only');
    const template = input.templateId ? await findTemplate(input.templateId) : null;
    if (input.templateId && !template) problems.push(`item.templateId: no coupon template ${input.templateId}`);
    if (template) subtitle = `${describeTerms(template.terms).condition} · ${describeValidity(validityText(template.validity), now)}`;
  } else {
    if (!input.skuId) problems.push('item.skuId: a product item names the SKU it ships');
    if (input.templateId) problems.push('item.templateId: a product item issues no coupon');
    if (input.kind === 'product' && cash !== 0)
      problems.push('item.cash: a product item is points only (use kind points_cash for a cash part)');
    if (input.kind === 'points_cash' && cash < 1) problems.push('item.cash: a points + cash item has a cash part of at least 1 fen');
    const [sku] = input.skuId ? await findSkus([input.skuId]) : [];
    if (input.skuId && !sku) problems.push(`item.skuId: no SKU ${input.skuId}`);
    if (sku && cash >= sku.price) problems.push(`item.cash: ${cash} fen is not below the SKU's price ${sku.price}`);
    const product = sku ? await findProduct(sku.productId) : null;
    if (sku && !product) problems.push(`item.skuId: the product of ${input.skuId} is gone`);
    if (sku && product) {
      imageFileId = product.images[0] ?? null;
      originalPrice = sku.price;
      subtitle = input.kind === 'points_cash' ? '积分 + 现金 · 包邮到家' : '包邮到家';
    }
  }
  const startAt = new Date(input.startAt);
  const endAt = new Date(input.endAt);
  if (endAt.getTime() <= startAt.getTime()) problems.push('item.endAt: the window ends after it starts');
  if (endAt.getTime() <= now.getTime()) problems.push('item.endAt: the window has already ended');
  if (problems.length > 0) throw new DuetError('INVALID_ARGUMENT', problems.join('; '));

  const id = request.id ?? `mi-${newId().slice(0, 16)}`;
  const doc: MallItemDoc = {
    _id: id,
    kind: input.kind,
    title: input.title,
    subtitle,
    imageFileId,
    originalPrice,
    points: input.points,
    cash,
    ...(input.templateId ? { templateId: input.templateId } : {}),
    ...(input.skuId ? { skuId: input.skuId } : {}),
    stock: input.stock,
    stockLeft: input.stock,
    perMemberLimit: input.perMemberLimit ?? 1,
    startAt,
    endAt,
    paused: false,
    createdAt: now,
    updatedAt: now,
  };
  const created = await insertItem(doc);
  const stored = created ? doc : await findItem(id);
  if (!stored) throw new DuetError('INTERNAL', `mall item ${id} exists and cannot be read`);
  if (!created && fingerprint(stored) !== fingerprint(doc)) {
    throw new DuetError('ALREADY_EXISTS', `mall item ${id} exists with other settings: pick another id, or change it with updateMallItem`);
  }
  const [row] = await mallItemRows([stored]);
  return { item: row, created };
}

function validityText(rule: CouponTemplateDoc['validity']): ValidityText {
  if (rule.type === 'days_after_claim') return rule;
  return { type: 'fixed', startsAt: new Date(rule.startsAt).toISOString(), endsAt: new Date(rule.endsAt).toISOString() };
}

function fingerprint(doc: MallItemDoc): string {
  const { kind, title, points, cash, templateId, skuId, stock, perMemberLimit, startAt, endAt } = doc;
  return JSON.stringify({
    kind,
    title,
    points,
    cash,
    templateId,
    skuId,
    stock,
    perMemberLimit,
    startAt: new Date(startAt).toISOString(),
    endAt: new Date(endAt).toISOString(),
  });
}
