import type { MemberCouponState } from '../../core/coupon/apply-coupons';
import type { TemplateStatus } from '../../core/coupon/claim-decision';
import type { CouponDoc, CouponTemplateDoc } from '../../core/coupon/coupon';
import { database } from '../cloud';
import { COLLECTIONS } from '../collections';
import { findById, findByIds, insertOnce, MAX_PER_QUERY, updatedCount } from '../documents';

/**
 * `coupon_templates` and `coupons`. Every rule that must hold under concurrency is one conditional
 * write here — stock taken only while some is left, a coupon's state flipped only from the state
 * the caller saw — so the database decides, never a read followed by a write.
 */
const TEMPLATES = COLLECTIONS.couponTemplates;
const COUPONS = COLLECTIONS.coupons;

export function findTemplate(id: string): Promise<CouponTemplateDoc | null> {
  return findById<CouponTemplateDoc>(TEMPLATES, id);
}

export function insertTemplate(doc: CouponTemplateDoc): Promise<boolean> {
  return insertOnce(TEMPLATES, doc);
}

/** Templates of a campaign (or of the storefront: `campaign` null), newest first. */
export async function listTemplates(filter: { campaign?: string | null; listedOnly?: boolean }): Promise<CouponTemplateDoc[]> {
  const where: Record<string, unknown> = {};
  if (filter.campaign !== undefined) where.campaign = filter.campaign;
  if (filter.listedOnly) where.listed = true;
  const result = (await database()
    .collection(TEMPLATES)
    .where(where)
    .orderBy('createdAt', 'desc')
    .limit(MAX_PER_QUERY)
    .get()) as unknown as { data: CouponTemplateDoc[] };
  return result.data;
}

export function findTemplates(ids: readonly string[]): Promise<CouponTemplateDoc[]> {
  return findByIds<CouponTemplateDoc>(TEMPLATES, ids);
}

/**
 * Takes one unit of stock if the template is active and has any left: true when this call took it.
 * The version (`takes`) and `reconciled: false` tell the reconcile job a claim may be in flight.
 */
export async function takeStock(templateId: string, now: Date): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(TEMPLATES)
    .where({ _id: templateId, status: 'active', stockLeft: _.gt(0) })
    .update({ data: { stockLeft: _.inc(-1), takes: _.inc(1), lastTakeAt: now, reconciled: false } });
  return updatedCount(result) === 1;
}

/** Returns a unit this call took and did not turn into a coupon (a duplicate, the member's limit). */
export async function giveBackStock(templateId: string): Promise<void> {
  const _ = database().command;
  await database()
    .collection(TEMPLATES)
    .where({ _id: templateId })
    .update({ data: { stockLeft: _.inc(1) } });
}

/** Moves a template from one of `from` to `to`: true when this call changed it. */
export async function setTemplateStatus(
  templateId: string,
  from: readonly TemplateStatus[],
  to: TemplateStatus,
  fields: Record<string, unknown>,
): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(TEMPLATES)
    .where({ _id: templateId, status: _.in([...from]) })
    .update({ data: { ...fields, status: to } });
  return updatedCount(result) === 1;
}

/** Adds units while the template has not ended: true when this call added them. */
export async function addTemplateStock(templateId: string, units: number, now: Date): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(TEMPLATES)
    // Conditional on the status, so an `end` that lands between the caller's read and this write wins.
    .where({ _id: templateId, status: _.in(['active', 'paused']) })
    .update({ data: { totalStock: _.inc(units), stockLeft: _.inc(units), updatedAt: now } });
  return updatedCount(result) === 1;
}

/**
 * Templates with stock taken since their last reconcile, quietest first. Recently taken ones are
 * included (last) so the reconcile can report them busy rather than leave them out of its report:
 * an operator who runs it right after a crash is told the template waits for its quiet window.
 */
export async function findTemplatesToReconcile(limit: number): Promise<CouponTemplateDoc[]> {
  const result = (await database()
    .collection(TEMPLATES)
    .where({ reconciled: false })
    .orderBy('lastTakeAt', 'asc')
    .limit(limit)
    .get()) as unknown as { data: CouponTemplateDoc[] };
  return result.data;
}

/**
 * Gives `units` stranded units back and marks the template reconciled, only if nothing moved its
 * stock since it was read (same `stockLeft` and `takes`): true when this call did.
 */
export async function settleTemplateStock(seen: Pick<CouponTemplateDoc, '_id' | 'stockLeft' | 'takes'>, units: number, now: Date) {
  const _ = database().command;
  const data: Record<string, unknown> = { reconciled: true, reconciledAt: now };
  if (units > 0) data.stockLeft = _.inc(units);
  const result = await database()
    .collection(TEMPLATES)
    .where({ _id: seen._id, stockLeft: seen.stockLeft, takes: seen.takes, reconciled: false })
    .update({ data });
  return updatedCount(result) === 1;
}

export async function countTemplateCoupons(templateId: string, state?: MemberCouponState): Promise<number> {
  const where: Record<string, unknown> = { templateId };
  if (state) where.state = state;
  const result = (await database().collection(COUPONS).where(where).count()) as { total: number };
  return result.total;
}

export function insertCoupon(doc: CouponDoc): Promise<boolean> {
  return insertOnce(COUPONS, doc);
}

export function findCoupon(id: string): Promise<CouponDoc | null> {
  return findById<CouponDoc>(COUPONS, id);
}

/** The member's claimed coupons of these templates (what the per-member limit counts). */
export async function findMemberClaims(memberId: string, templateIds: readonly string[]): Promise<CouponDoc[]> {
  const unique = [...new Set(templateIds)];
  if (unique.length === 0) return [];
  const _ = database().command;
  const result = (await database()
    .collection(COUPONS)
    .where({ memberId, source: 'claim', templateId: unique.length === 1 ? unique[0] : _.in(unique) })
    .limit(MAX_PER_QUERY)
    .get()) as unknown as { data: CouponDoc[] };
  return result.data;
}

/** The wallet's three tabs, each in its order and at most `limit` long. */
export async function listWalletCoupons(memberId: string, now: Date, limit: number) {
  const _ = database().command;
  const coupons = database().collection(COUPONS);
  const read = async (query: any) => ((await query.limit(limit).get()) as { data: CouponDoc[] }).data;
  const [usable, used, expired] = await Promise.all([
    read(
      coupons
        .where(
          _.or([
            { memberId, state: 'usable', validUntil: _.gte(now) },
            { memberId, state: 'locked' },
          ]),
        )
        .orderBy('validUntil', 'asc'),
    ),
    read(coupons.where({ memberId, state: 'used' }).orderBy('usedAt', 'desc')),
    read(
      coupons
        .where(
          _.or([
            { memberId, state: 'expired' },
            { memberId, state: 'usable', validUntil: _.lt(now) },
          ]),
        )
        .orderBy('validUntil', 'desc'),
    ),
  ]);
  return { usable, used, expired };
}

/** usable → locked for `orderId`, only while usable and valid at `now`: true when this call locked it. */
export async function lockCouponForOrder(couponId: string, memberId: string, orderId: string, now: Date): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(COUPONS)
    .where({ _id: couponId, memberId, state: 'usable', validFrom: _.lte(now), validUntil: _.gte(now) })
    .update({ data: { state: 'locked', orderId, lockedAt: now } });
  return updatedCount(result) === 1;
}

/** locked by `orderId` → `to`: true when this call moved it. */
export async function moveLockedCoupon(couponId: string, orderId: string, to: MemberCouponState, fields: Record<string, unknown>) {
  const result = await database()
    .collection(COUPONS)
    .where({ _id: couponId, state: 'locked', orderId })
    .update({ data: { ...fields, state: to } });
  return updatedCount(result) === 1;
}

/** Usable coupons past their validity, oldest first. */
export async function findLapsedCoupons(now: Date, limit: number): Promise<Array<Pick<CouponDoc, '_id'>>> {
  const _ = database().command;
  const result = (await database()
    .collection(COUPONS)
    .where({ state: 'usable', validUntil: _.lt(now) })
    .orderBy('validUntil', 'asc')
    .field({ _id: true })
    .limit(limit)
    .get()) as unknown as { data: Array<Pick<CouponDoc, '_id'>> };
  return result.data;
}

/** usable → expired for these coupons (one still usable by time is left alone by the condition). */
export async function expireCoupons(ids: readonly string[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const _ = database().command;
  const result = await database()
    .collection(COUPONS)
    .where({ _id: _.in([...ids]), state: 'usable', validUntil: _.lt(now) })
    .update({ data: { state: 'expired', expiredAt: now } });
  return updatedCount(result);
}

/** Usable coupons that end within `[now, until]` and have no expiring notice yet. */
export async function findExpiringCoupons(now: Date, until: Date, limit: number): Promise<CouponDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(COUPONS)
    .where({ state: 'usable', validUntil: _.and(_.gte(now), _.lte(until)), expiringNoticeAt: _.exists(false) })
    .orderBy('validUntil', 'asc')
    .limit(limit)
    .get()) as unknown as { data: CouponDoc[] };
  return result.data;
}

export async function markExpiringNoticed(ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  const _ = database().command;
  await database()
    .collection(COUPONS)
    .where({ _id: _.in([...ids]) })
    .update({ data: { expiringNoticeAt: now } });
}

/** The new-member pack: which templates, on which trigger, for members who joined from when. */
export interface PackSetting {
  _id: string;
  templateIds: string[];
  trigger: 'login' | 'follow';
  /** Members created before this get no pack: setting one up does not flood existing members. */
  activeFrom: Date;
  updatedAt: Date;
}

const PACK_SETTING_ID = 'coupon.newMemberPack';

export function findPackSetting(): Promise<PackSetting | null> {
  return findById<PackSetting>(COLLECTIONS.settings, PACK_SETTING_ID);
}

export async function putPackSetting(fields: Omit<PackSetting, '_id'>): Promise<PackSetting> {
  await database().collection(COLLECTIONS.settings).doc(PACK_SETTING_ID).set({ data: fields });
  return { _id: PACK_SETTING_ID, ...fields };
}

/** A member's coupons that may still apply at checkout (usable and not past their validity). */
export async function findUsableCoupons(memberId: string, now: Date): Promise<CouponDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(COUPONS)
    .where({ memberId, state: 'usable', validUntil: _.gte(now) })
    .limit(MAX_PER_QUERY)
    .get()) as unknown as { data: CouponDoc[] };
  return result.data;
}

/** used → `to` for the order that used it (a whole-order refund gives the coupon back): true when this call moved it. */
export async function moveUsedCoupon(couponId: string, orderId: string, to: MemberCouponState, fields: Record<string, unknown>) {
  const result = await database()
    .collection(COUPONS)
    .where({ _id: couponId, state: 'used', orderId })
    .update({ data: { ...fields, state: to } });
  return updatedCount(result) === 1;
}
