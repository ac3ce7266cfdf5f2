/**
 * The checkout page's `lines` query (core/pages.ts CHECKOUT_PAGE): `skuId*quantity,skuId*quantity`.
 * A SKU id may hold any non-space character, so each id is percent-encoded (a `,` in an id cannot
 * split a line) and the quantity is read after the last `*` (a `*` in an id cannot cut it short).
 */
export interface LineParam {
  skuId: string;
  quantity: number;
}

export function formatLinesParam(lines: readonly LineParam[]): string {
  return lines.map((line) => `${encodeURIComponent(line.skuId)}*${line.quantity}`).join(',');
}

/**
 * The lines of a `lines` query, or null when it is missing or malformed: a hand-edited or cut-off
 * link must not become an order of something else. The server still checks ids and quantities.
 */
export function parseLinesParam(value: string | undefined | null): LineParam[] | null {
  if (!value) return null;
  const lines: LineParam[] = [];
  for (const part of value.split(',')) {
    const star = part.lastIndexOf('*');
    if (star <= 0) return null;
    const quantity = part.slice(star + 1);
    if (!/^[1-9]\d{0,2}$/.test(quantity)) return null;
    let skuId: string;
    try {
      skuId = decodeURIComponent(part.slice(0, star));
    } catch {
      return null;
    }
    if (!skuId.trim()) return null;
    lines.push({ skuId, quantity: Number(quantity) });
  }
  return lines.length > 0 ? lines : null;
}
