import { DuetError } from '../errors';
import { type CouponTerms, type ProductScope, termsProblems } from './template';
import { type CouponValidity, isWithinValidity } from './validity';

export interface CartLine {
  productId: string;
  /** Integer fen, as priced by the server. */
  unitPrice: number;
  quantity: number;
}

/** `locked`: held by an order awaiting payment; `expired`: marked so by a sweep (time alone also expires it). */
export type MemberCouponState = 'usable' | 'locked' | 'used' | 'expired';

export interface MemberCoupon {
  id: string;
  terms: CouponTerms;
  scope: ProductScope;
  validity: CouponValidity;
  state: MemberCouponState;
}

export interface LineAllocation {
  /** Index of the cart line; one allocation per line, in cart order. */
  line: number;
  productId: string;
  lineTotal: number;
  discount: number;
  payable: number;
}

export interface ApplicableCoupon {
  couponId: string;
  discount: number;
  eligibleSubtotal: number;
  endsAt: Date;
  allocations: LineAllocation[];
}

export type InapplicableReason =
  | 'invalid'
  | 'used'
  | 'locked'
  | 'expired'
  | 'not_yet_valid'
  | 'out_of_scope'
  | 'below_threshold'
  | 'no_discount';

export interface InapplicableCoupon {
  couponId: string;
  reason: InapplicableReason;
  /** For `below_threshold`: fen still missing from the eligible subtotal. */
  shortBy?: number;
}

export interface CouponOptions {
  /** Best first: largest discount, then the one expiring first, then by id. */
  applicable: ApplicableCoupon[];
  inapplicable: InapplicableCoupon[];
  best: ApplicableCoupon | null;
}

/** Why a coupon is greyed out at checkout. */
export const INAPPLICABLE_MESSAGES: Record<InapplicableReason, string> = {
  invalid: '优惠券信息有误，暂不可用',
  used: '优惠券已使用',
  locked: '优惠券已被待支付订单占用',
  expired: '优惠券已过期',
  not_yet_valid: '优惠券尚未到使用时间',
  out_of_scope: '购物车中没有适用商品',
  below_threshold: '未达到使用门槛',
  no_discount: '当前商品金额无法享受此优惠',
};

export interface ApplyOptions {
  /**
   * What the whole cart must still cost after the discount (fen). WeChat Pay takes no order of 0
   * fen, so checkout asks for 1: a ¥10 无门槛 coupon on a ¥5 cart then takes ¥4.99 off.
   */
  minPayable?: number;
}

export const MAX_QUANTITY = 9_999;
/**
 * Largest cart subtotal (¥90,000,000). With coupon amounts at most MAX_COUPON_FEN (10^6),
 * discount × line total stays below Number.MAX_SAFE_INTEGER, so the allocation is exact in Numbers.
 */
export const MAX_CART_FEN = 9_000_000_000;

/**
 * The checkout's coupon options for a cart: every coupon the member holds, either applicable with
 * its discount spread over the cart lines, or not with the reason. Only one coupon applies to an
 * order; `best` is the one the checkout preselects.
 */
export function applyCoupons(cart: CartLine[], coupons: MemberCoupon[], now: Date, options: ApplyOptions = {}): CouponOptions {
  checkCart(cart);
  const minPayable = options.minPayable ?? 0;
  if (!Number.isSafeInteger(minPayable) || minPayable < 0)
    throw new DuetError('INVALID_ARGUMENT', `minPayable is whole fen ≥ 0, got ${minPayable}`);
  const cartTotal = cart.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  const seen = new Set<string>();
  for (const coupon of coupons) {
    // Two coupons with one id would make the tie-break depend on the order they came in.
    if (seen.has(coupon.id)) throw new DuetError('INVALID_ARGUMENT', `coupon ${coupon.id} appears twice`);
    seen.add(coupon.id);
  }

  const applicable: ApplicableCoupon[] = [];
  const inapplicable: InapplicableCoupon[] = [];
  for (const coupon of coupons) {
    const result = priceCoupon(cart, coupon, now, cartTotal - minPayable);
    if ('reason' in result) inapplicable.push(result);
    else applicable.push(result);
  }
  applicable.sort(compareOptions);
  inapplicable.sort((a, b) => compareIds(a.couponId, b.couponId));
  return { applicable, inapplicable, best: applicable[0] ?? null };
}

function priceCoupon(cart: CartLine[], coupon: MemberCoupon, now: Date, maxDiscount: number): ApplicableCoupon | InapplicableCoupon {
  const couponId = coupon.id;
  // Stored coupons are copies of validated terms, but a bad copy must grey out, not discount wildly.
  if (termsProblems(coupon.terms).length > 0 || !isScope(coupon.scope)) return { couponId, reason: 'invalid' };
  const endsAt = new Date(coupon.validity.endsAt);
  if (coupon.state !== 'usable') return { couponId, reason: coupon.state === 'expired' ? 'expired' : coupon.state };
  if (now.getTime() > endsAt.getTime() || Number.isNaN(endsAt.getTime())) return { couponId, reason: 'expired' };
  if (!isWithinValidity(coupon.validity, now)) return { couponId, reason: 'not_yet_valid' };

  const inScope = cart.map((line) => inScopeOf(coupon.scope, line.productId));
  if (!inScope.some(Boolean)) return { couponId, reason: 'out_of_scope' };
  const eligibleSubtotal = cart.reduce((sum, line, i) => (inScope[i] ? sum + line.unitPrice * line.quantity : sum), 0);

  const terms = coupon.terms;
  if (terms.kind === 'threshold_off' && eligibleSubtotal < terms.threshold) {
    return { couponId, reason: 'below_threshold', shortBy: terms.threshold - eligibleSubtotal };
  }
  const discount = Math.min(discountOf(terms, eligibleSubtotal), maxDiscount);
  if (discount <= 0) return { couponId, reason: 'no_discount' };
  return { couponId, discount, eligibleSubtotal, endsAt, allocations: allocate(cart, inScope, discount, eligibleSubtotal) };
}

/** Never more than the eligible subtotal: a coupon cannot pay the member. */
function discountOf(terms: CouponTerms, subtotal: number): number {
  if (terms.kind === 'percent_off') {
    // Rounded down, in the shop's favour by less than a fen; exact integer division.
    const raw = subtotal * terms.percentOff;
    return Math.min((raw - (raw % 100)) / 100, terms.cap, subtotal);
  }
  return Math.min(terms.amountOff, subtotal);
}

/**
 * The discount spread over the eligible lines in proportion to their totals, in whole fen, by
 * largest remainder: each line first gets floor(discount × lineTotal / subtotal), and the fen left
 * over go one each to the lines with the largest remainders (ties: the larger line, then the later
 * one). Giving the whole remainder to one line could push a small line below zero; one fen to a
 * line whose exact share has a fraction never can, and the shares sum exactly to the discount.
 * Refunds of a single line rely on this split.
 */
function allocate(cart: CartLine[], inScope: boolean[], discount: number, subtotal: number): LineAllocation[] {
  const shares = cart.map((line, i) => {
    const lineTotal = line.unitPrice * line.quantity;
    if (!inScope[i]) return { line: i, lineTotal, base: 0, remainder: 0 };
    const product = discount * lineTotal;
    let base = Math.floor(product / subtotal);
    // Float division may land one off near an integer; settle it with exact integer products.
    while (base * subtotal > product) base -= 1;
    while ((base + 1) * subtotal <= product) base += 1;
    return { line: i, lineTotal, base, remainder: product - base * subtotal };
  });
  let left = discount - shares.reduce((sum, share) => sum + share.base, 0);
  const extra = new Set<number>();
  const byRemainder = shares
    .filter((share) => share.remainder > 0)
    .sort((a, b) => b.remainder - a.remainder || b.lineTotal - a.lineTotal || b.line - a.line);
  for (const share of byRemainder) {
    if (left <= 0) break;
    extra.add(share.line);
    left -= 1;
  }
  return shares.map((share) => {
    const lineDiscount = share.base + (extra.has(share.line) ? 1 : 0);
    return {
      line: share.line,
      productId: cart[share.line].productId,
      lineTotal: share.lineTotal,
      discount: lineDiscount,
      payable: share.lineTotal - lineDiscount,
    };
  });
}

function compareOptions(a: ApplicableCoupon, b: ApplicableCoupon): number {
  return b.discount - a.discount || a.endsAt.getTime() - b.endsAt.getTime() || compareIds(a.couponId, b.couponId);
}

// Code unit order, not localeCompare: the same answer on every runtime and locale.
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function inScopeOf(scope: ProductScope, productId: string): boolean {
  return scope === 'all' || scope.productIds.includes(productId);
}

function isScope(scope: unknown): scope is ProductScope {
  if (scope === 'all') return true;
  const ids = (scope as { productIds?: unknown } | null)?.productIds;
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string');
}

function checkCart(cart: CartLine[]): void {
  let subtotal = 0;
  cart.forEach((line, i) => {
    if (typeof line.productId !== 'string' || line.productId.length === 0) {
      throw new DuetError('INVALID_ARGUMENT', `cart line ${i} has no productId`);
    }
    if (!Number.isSafeInteger(line.unitPrice) || line.unitPrice < 0) {
      throw new DuetError('INVALID_ARGUMENT', `cart line ${i}: unitPrice is whole fen ≥ 0, got ${line.unitPrice}`);
    }
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      throw new DuetError('INVALID_ARGUMENT', `cart line ${i}: quantity is 1-${MAX_QUANTITY}, got ${line.quantity}`);
    }
    subtotal += line.unitPrice * line.quantity;
    if (subtotal > MAX_CART_FEN) throw new DuetError('INVALID_ARGUMENT', `cart subtotal exceeds ${MAX_CART_FEN} fen`);
  });
}
