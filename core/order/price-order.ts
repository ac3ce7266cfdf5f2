import { applyCoupons, type InapplicableReason, type MemberCoupon } from '../coupon/apply-coupons';
import { DuetError } from '../errors';

/** What the server knows of a SKU when it prices an order: read from the database, never from the app. */
export interface SkuFacts {
  skuId: string;
  productId: string;
  /** The product's name and the SKU's spec values, copied onto the order line as it was bought. */
  name: string;
  specs: Record<string, string>;
  /** Integer fen. */
  price: number;
  stock: number;
  onShelf: boolean;
}

export interface OrderLineInput {
  skuId: string;
  quantity: number;
}

/** `best`: the coupon worth most; `none`: no coupon; an id: that coupon, if it applies. */
export type CouponChoice = 'best' | 'none' | { couponId: string };

export const MAX_ORDER_LINES = 50;
export const MAX_LINE_QUANTITY = 99;
/** WeChat Pay takes no order of 0 fen: a coupon never takes the last fen. */
export const MIN_PAYABLE_FEN = 1;

export type LineProblem = 'unknown_sku' | 'off_shelf' | 'insufficient_stock';

export interface PricedLine {
  skuId: string;
  productId: string;
  name: string;
  specs: Record<string, string>;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
  discount: number;
  payable: number;
}

export interface PricedOrder {
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  payable: number;
  /** The coupon applied, or null. */
  coupon: { couponId: string; discount: number } | null;
  /** Every coupon that would apply, best first, and why the others do not. */
  applicable: Array<{ couponId: string; discount: number }>;
  inapplicable: Array<{ couponId: string; reason: InapplicableReason; shortBy?: number }>;
  /** Lines that cannot be bought as asked (the quote shows them; create refuses). */
  problems: Array<{ skuId: string; problem: LineProblem; available?: number }>;
  /** Set when a coupon was chosen by id and does not apply (create refuses). */
  couponProblem: InapplicableReason | 'not_found' | null;
}

/**
 * The order's prices, from the server's SKU facts and the member's coupons only: unit prices,
 * line totals, the coupon discount spread over the lines (the split a refund of one line uses),
 * and what is payable (at least 1 fen). Lines naming one SKU twice are merged.
 */
export function priceOrder(input: {
  lines: OrderLineInput[];
  skus: SkuFacts[];
  coupons: MemberCoupon[];
  choice: CouponChoice;
  now: Date;
}): PricedOrder {
  const lines = mergeLines(input.lines);
  const skus = new Map(input.skus.map((sku) => [sku.skuId, sku]));
  const problems: PricedOrder['problems'] = [];
  const priced: PricedLine[] = [];
  for (const line of lines) {
    const sku = skus.get(line.skuId);
    if (!sku) {
      problems.push({ skuId: line.skuId, problem: 'unknown_sku' });
      continue;
    }
    if (!sku.onShelf) problems.push({ skuId: line.skuId, problem: 'off_shelf' });
    else if (sku.stock < line.quantity)
      problems.push({ skuId: line.skuId, problem: 'insufficient_stock', available: Math.max(0, sku.stock) });
    const lineTotal = sku.price * line.quantity;
    priced.push({
      skuId: sku.skuId,
      productId: sku.productId,
      name: sku.name,
      specs: sku.specs,
      unitPrice: sku.price,
      quantity: line.quantity,
      lineTotal,
      discount: 0,
      payable: lineTotal,
    });
  }
  const subtotal = priced.reduce((sum, line) => sum + line.lineTotal, 0);
  const cart = priced.map((line) => ({ productId: line.productId, unitPrice: line.unitPrice, quantity: line.quantity }));
  const options =
    priced.length > 0
      ? applyCoupons(cart, input.coupons, input.now, { minPayable: MIN_PAYABLE_FEN })
      : { applicable: [], inapplicable: [], best: null };

  let chosen = null as (typeof options.applicable)[number] | null;
  let couponProblem: PricedOrder['couponProblem'] = null;
  if (input.choice === 'best') chosen = options.best;
  else if (input.choice !== 'none') {
    const { couponId } = input.choice;
    chosen = options.applicable.find((option) => option.couponId === couponId) ?? null;
    if (!chosen) couponProblem = options.inapplicable.find((option) => option.couponId === couponId)?.reason ?? 'not_found';
  }
  if (chosen) {
    for (const allocation of chosen.allocations) {
      priced[allocation.line].discount = allocation.discount;
      priced[allocation.line].payable = allocation.payable;
    }
  }
  const discount = chosen?.discount ?? 0;
  return {
    lines: priced,
    subtotal,
    discount,
    payable: subtotal - discount,
    coupon: chosen ? { couponId: chosen.couponId, discount: chosen.discount } : null,
    applicable: options.applicable.map((option) => ({ couponId: option.couponId, discount: option.discount })),
    inapplicable: options.inapplicable.map(({ couponId, reason, shortBy }) =>
      shortBy === undefined ? { couponId, reason } : { couponId, reason, shortBy },
    ),
    problems,
    couponProblem,
  };
}

function mergeLines(lines: OrderLineInput[]): OrderLineInput[] {
  if (lines.length === 0 || lines.length > MAX_ORDER_LINES) {
    throw new DuetError('INVALID_ARGUMENT', `an order has 1 to ${MAX_ORDER_LINES} lines, got ${lines.length}`);
  }
  const merged = new Map<string, number>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      throw new DuetError('INVALID_ARGUMENT', `quantity of ${line.skuId} is a whole number ≥ 1, got ${line.quantity}`);
    }
    merged.set(line.skuId, (merged.get(line.skuId) ?? 0) + line.quantity);
  }
  for (const [skuId, quantity] of merged) {
    if (quantity > MAX_LINE_QUANTITY)
      throw new DuetError('INVALID_ARGUMENT', `at most ${MAX_LINE_QUANTITY} of ${skuId} per order, got ${quantity}`);
  }
  return [...merged].map(([skuId, quantity]) => ({ skuId, quantity }));
}
