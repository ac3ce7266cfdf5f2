/**
 * Money and rates as reports show them, from integers only (no float drift): shared by the
 * server's reports (article report, change against the previous period) and the CLI's outputs.
 */

/**
 * Yuan with exactly two decimals, from integer fen without going through a float: `-1234` → `-12.34`.
 * `grouping` puts thousands separators in the whole part (for the chart; a CSV keeps plain numbers).
 */
export function formatYuan(fen: number | bigint, options: { grouping?: boolean } = {}): string {
  const value = BigInt(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  let whole = (abs / 100n).toString();
  if (options.grouping) whole = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${cents}`;
}

/** Placeholder for a rate whose base is zero. */
export const NO_RATE = '—';

/** `part / base` as a percentage with one decimal (half up), from integers: `12.5%`; a zero base is `—`. */
export function formatRate(part: number | bigint, base: number | bigint): string {
  const p = BigInt(part);
  const b = BigInt(base);
  if (b === 0n) return NO_RATE;
  const tenths = (p * 2000n + b) / (2n * b); // round(p * 1000 / b), p and b non-negative
  return `${tenths / 10n}.${tenths % 10n}%`;
}
