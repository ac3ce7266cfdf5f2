import { BSONRegExp, EJSON } from 'bson';

export type Doc = Record<string, any>;

/** Canonical EJSON, the form the SDK sends and the form documents are stored in. */
export function encode(value: unknown): string {
  return EJSON.stringify(value as any, { relaxed: false });
}

/**
 * The WeChat console's export form: plain JSON numbers and strings, dates as
 * `{"$date": "<ISO with milliseconds>"}` (bson's relaxed mode drops `.000`), other BSON types as relaxed EJSON.
 */
export function encodeConsole(value: unknown): string {
  return JSON.stringify(toConsole(value));
}

function toConsole(value: unknown): unknown {
  if (value instanceof Date) return { $date: Number.isNaN(value.getTime()) ? null : value.toISOString() };
  if (value instanceof RegExp) return { $regularExpression: { pattern: value.source, options: value.flags } };
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $numberDouble: String(value) };
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toConsole);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return EJSON.serialize(value as any, { relaxed: true });
  const out: Doc = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = toConsole(item);
  return out;
}

/**
 * EJSON text → plain JS values mingo understands: numbers stay numbers, `$date` becomes Date,
 * BSON regexes become RegExp, and `{$tcb_server_date: {offset}}` becomes the emulator's now + offset.
 */
export function decode(text: string, now?: () => number): any {
  return normalize(EJSON.parse(text, { relaxed: true }), now);
}

/** The same conversion for an already-parsed value. */
export function normalize(value: any, now?: () => number): any {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || value instanceof RegExp) return value;
  if (value instanceof BSONRegExp) return toRegExp(value.pattern, value.options);
  if (Array.isArray(value)) return value.map((item) => normalize(item, now));
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$tcb_server_date') {
    const offset = Number(value.$tcb_server_date?.offset ?? 0) || 0;
    return new Date((now ? now() : Date.now()) + offset);
  }
  const out: Doc = {};
  for (const key of keys) out[key] = normalize(value[key], now);
  return out;
}

/** MongoDB regex options → JS flags (x and l have no JS counterpart and are dropped). */
export function toRegExp(pattern: string, options = ''): RegExp {
  const flags = [...new Set(options.split(''))].filter((flag) => 'imsu'.includes(flag)).join('');
  return new RegExp(pattern, flags);
}

/** Storage key of an `_id` value: its canonical EJSON, so "1" and 1 stay distinct. */
export function idKey(id: unknown): string {
  return encode(id);
}

export function clone<T>(value: T): T {
  return decode(encode(value));
}
