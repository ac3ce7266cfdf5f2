/** Shop and order views for the store and component tests (never imported by the app). */
import type { OrderLineView, OrderView, PaymentParams, QuoteView, RefundView } from '../../core/contracts/order';
import type { ProductCard, ProductView } from '../../core/contracts/shop';

export const ORDER_SERVER_TIME = '2026-12-03T04:00:00.000Z';

export function productCard(overrides: Partial<ProductCard> = {}): ProductCard {
  return {
    productId: 'prd-tea',
    name: '明前龙井春茶礼盒',
    imageUrl: 'https://cdn.example.com/tea.png',
    priceFrom: 8800,
    priceTo: 15800,
    soldOut: false,
    ...overrides,
  };
}

/** Two specs (容量 × 香型) with one combination sold out, as the demo lotion. */
export function productView(overrides: Partial<ProductView> = {}): ProductView {
  return {
    productId: 'prd-lotion',
    name: '玫瑰香氛身体乳',
    description: '玫瑰精油配方，清爽不黏腻。',
    imageUrls: ['https://cdn.example.com/lotion-1.png', 'https://cdn.example.com/lotion-2.png'],
    onShelf: true,
    priceFrom: 6900,
    specs: [
      { name: '容量', values: ['200ml', '400ml'] },
      { name: '香型', values: ['玫瑰', '百合'] },
    ],
    skus: [
      { skuId: 'sku-200-rose', specs: { 容量: '200ml', 香型: '玫瑰' }, price: 6900, stock: 60 },
      { skuId: 'sku-200-lily', specs: { 容量: '200ml', 香型: '百合' }, price: 6900, stock: 4 },
      { skuId: 'sku-400-rose', specs: { 容量: '400ml', 香型: '玫瑰' }, price: 11900, stock: 250 },
      { skuId: 'sku-400-lily', specs: { 容量: '400ml', 香型: '百合' }, price: 11900, stock: 0 },
    ],
    ...overrides,
  };
}

export function orderLine(overrides: Partial<OrderLineView> = {}): OrderLineView {
  return {
    skuId: 'sku-tea-250',
    productId: 'prd-tea',
    name: '明前龙井春茶礼盒',
    specs: { 规格: '250g' },
    imageUrl: 'https://cdn.example.com/tea.png',
    unitPrice: 15800,
    quantity: 1,
    lineTotal: 15800,
    discount: 1000,
    payable: 14800,
    ...overrides,
  };
}

export function quoteView(overrides: Partial<QuoteView> = {}): QuoteView {
  return {
    lines: [orderLine()],
    subtotal: 15800,
    discount: 1000,
    payable: 14800,
    coupon: { couponId: 'c-new', name: '新人专享券', discount: 1000 },
    applicable: [
      { couponId: 'c-new', name: '新人专享券', discount: 1000 },
      { couponId: 'c-welcome', name: '新人礼包券', discount: 800 },
    ],
    inapplicable: [{ couponId: 'c-299', name: '夏日预告券', reason: 'below_threshold', message: '未达到使用门槛' }],
    problems: [],
    couponProblem: null,
    ...overrides,
  };
}

export function refundView(overrides: Partial<RefundView> = {}): RefundView {
  return {
    refundId: 'o1-M',
    state: 'requested',
    amount: 14800,
    reason: '不想要了',
    createdAt: '2026-12-03T04:05:00.000Z',
    succeededAt: null,
    ...overrides,
  };
}

export function orderView(overrides: Partial<OrderView> = {}): OrderView {
  return {
    orderId: 'o1',
    orderNo: '20261203120500123456',
    state: 'created',
    lines: [orderLine()],
    subtotal: 15800,
    discount: 1000,
    payable: 14800,
    couponId: 'c-new',
    address: { name: '张三', phone: '13800138000', region: '浙江省 杭州市 西湖区', detail: '文三路 100 号' },
    createdAt: '2026-12-03T03:55:00.000Z',
    payBy: '2026-12-03T04:10:00.000Z',
    group: null,
    paidAt: null,
    cancelledAt: null,
    shipment: null,
    autoCompleteAt: null,
    completedAt: null,
    refunded: 0,
    refunds: [],
    can: { pay: true, cancel: true, confirmReceipt: false, requestRefund: false },
    ...overrides,
  };
}

/** A created order moved on by the server: paid (and refundable before shipment). */
export function paidOrder(overrides: Partial<OrderView> = {}): OrderView {
  return orderView({
    state: 'paid',
    paidAt: '2026-12-03T04:01:00.000Z',
    can: { pay: false, cancel: false, confirmReceipt: false, requestRefund: true },
    ...overrides,
  });
}

export function paymentParams(overrides: Partial<PaymentParams> = {}): PaymentParams {
  return {
    timeStamp: '1796270400',
    nonceStr: 'nonce0001',
    package: 'prepay_id=wx0001',
    signType: 'MD5',
    paySign: 'sign0001',
    ...overrides,
  };
}
