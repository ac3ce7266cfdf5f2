import { INAPPLICABLE_MESSAGES } from '../../core/coupon/apply-coupons';
import { toMemberCoupon } from '../../core/coupon/coupon';
import type { QuoteView } from '../../core/contracts/order';
import { type CouponChoice, type OrderLineInput, type PricedOrder, priceOrder, type SkuFacts } from '../../core/order/price-order';
import { findUsableCoupons } from '../coupon/repository';
import { findProducts, findSkus } from '../shop/repository';

export const LINE_PROBLEM_MESSAGES: Record<PricedOrder['problems'][number]['problem'], string> = {
  unknown_sku: '商品不存在',
  off_shelf: '商品已下架',
  insufficient_stock: '库存不足',
};

export interface MemberPrice {
  priced: PricedOrder;
  /** Coupon names and each line's first image, for the order and its views. */
  couponNames: Map<string, string>;
  imageOf: Map<string, string | null>;
}

/** `coupon` as the contract takes it: "best" (default), "none" or a coupon id. */
export function couponChoiceOf(coupon: string | undefined): CouponChoice {
  if (coupon === undefined || coupon === 'best') return 'best';
  if (coupon === 'none') return 'none';
  return { couponId: coupon };
}

/**
 * Prices lines for a member from the database only (3 reads: SKUs, their products, the member's
 * usable coupons). Nothing the app sent but SKU ids, quantities and a coupon choice is read.
 */
export async function priceForMember(
  memberId: string,
  lines: OrderLineInput[],
  choice: CouponChoice,
  now: Date,
  /** A quote lists the member's coupons even with "none" (the picker shows them); a create with "none" needs none. */
  listCoupons = true,
  /** Prices that replace the SKUs' own, by SKU id (a group-buy's group price), read from the database by the caller. */
  unitPrices?: ReadonlyMap<string, number>,
): Promise<MemberPrice> {
  const wantCoupons = listCoupons || choice !== 'none';
  const [skus, coupons] = await Promise.all([
    findSkus(lines.map((line) => line.skuId)),
    wantCoupons ? findUsableCoupons(memberId, now) : [],
  ]);
  const products = new Map((await findProducts(skus.map((sku) => sku.productId))).map((product) => [product._id, product]));
  const facts: SkuFacts[] = skus.flatMap((sku) => {
    const product = products.get(sku.productId);
    if (!product) return [];
    return [
      {
        skuId: sku._id,
        productId: sku.productId,
        name: product.name,
        specs: sku.specs,
        price: unitPrices?.get(sku._id) ?? sku.price,
        stock: sku.stock,
        onShelf: product.onShelf,
      },
    ];
  });
  // Only SKU ids and quantities are read from the request: money fields it carried are dropped here.
  const asked = lines.map(({ skuId, quantity }) => ({ skuId, quantity }));
  const priced = priceOrder({ lines: asked, skus: facts, coupons: coupons.map(toMemberCoupon), choice, now });
  return {
    priced,
    couponNames: new Map(coupons.map((coupon) => [coupon._id, coupon.name])),
    imageOf: new Map(skus.map((sku) => [sku._id, products.get(sku.productId)?.images[0] ?? null])),
  };
}

/** The quote as the app shows it: names, Chinese reasons, and image URLs resolved by the caller. */
export function toQuoteView(price: MemberPrice, urlOf: (fileId: string | null) => string | null): QuoteView {
  const { priced, couponNames } = price;
  const nameOf = (couponId: string) => couponNames.get(couponId) ?? '优惠券';
  return {
    lines: priced.lines.map((line) => ({ ...line, imageUrl: urlOf(price.imageOf.get(line.skuId) ?? null) })),
    subtotal: priced.subtotal,
    discount: priced.discount,
    payable: priced.payable,
    coupon: priced.coupon ? { ...priced.coupon, name: nameOf(priced.coupon.couponId) } : null,
    applicable: priced.applicable.map((option) => ({ ...option, name: nameOf(option.couponId) })),
    inapplicable: priced.inapplicable.map((option) => ({
      couponId: option.couponId,
      name: nameOf(option.couponId),
      reason: option.reason,
      message: INAPPLICABLE_MESSAGES[option.reason],
    })),
    problems: priced.problems.map((problem) => ({
      ...problem,
      message:
        problem.problem === 'insufficient_stock' ? `库存不足，仅剩${problem.available ?? 0}件` : LINE_PROBLEM_MESSAGES[problem.problem],
    })),
    couponProblem: priced.couponProblem
      ? {
          reason: priced.couponProblem,
          message: priced.couponProblem === 'not_found' ? '优惠券不存在或已失效' : INAPPLICABLE_MESSAGES[priced.couponProblem],
        }
      : null,
  };
}
