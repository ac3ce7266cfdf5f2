const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * The order number people read and say (订单编号: the member to customer service, an operator to a
 * search): the order's time on the Beijing clock, yyyyMMddHHmmss, and 6 digits of its id. The id
 * itself (32 hex characters, WeChat Pay's out_trade_no) stays internal.
 */
export function orderNoOf(orderId: string, createdAt: Date | string): string {
  const stamp = new Date(new Date(createdAt).getTime() + SHANGHAI_OFFSET_MS).toISOString().replace(/\D/g, '').slice(0, 14);
  const digits = String(Number.parseInt(orderId.slice(0, 8), 16) % 1_000_000 || 0).padStart(6, '0');
  return `${stamp}${digits}`;
}
