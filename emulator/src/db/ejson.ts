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

/**
 * A request's EJSON text (`query`, `data`, `stageValue`, ...): `decode`, plus CloudBase's second-based
 * timestamp literal `{ $timestamp: <seconds> }`. The SDK sends it as it was written (bson makes the
 * number `{"$numberInt": ...}`); bson's EJSON refuses it (its `$timestamp` is `{ t, i }`). The SDK's own
 * source names it "特殊结构 秒级时间戳 … {a: {$timestamp: xxx}} => {a: xxx * 1000}" (@cloudbase/database
 * src/util.ts): a point in time in seconds, so it becomes that date, stored, matched and returned as one.
 * A bson Timestamp (`{ t, i }`) is left to EJSON.
 */
export function decodeRequest(text: string, now?: () => number): any {
  if (!text.includes('"$timestamp"')) return decode(text, now);
  return normalize(EJSON.parse(JSON.stringify(timestampsToDates(JSON.parse(text))), { relaxed: true }), now);
}

function timestampsToDates(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(timestampsToDates);
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$timestamp') {
    const seconds = ejsonNumber((value as Doc).$timestamp);
    if (seconds !== undefined) return { $date: { $numberLong: String(Math.round(seconds * 1000)) } };
  }
  const out: Doc = {};
  for (const key of keys) out[key] = timestampsToDates((value as Doc)[key]);
  return out;
}

/** A JSON number or its canonical EJSON wrapper (`$numberInt`, `$numberLong`, `$numberDouble`). */
function ejsonNumber(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    const [key, ...rest] = Object.keys(value);
    const raw = (value as Doc)[key];
    if (rest.length === 0 && ['$numberInt', '$numberLong', '$numberDouble'].includes(key) && typeof raw === 'string') n = Number(raw);
  }
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

/**
 * A document as the backend answers the SDK: canonical EJSON, except that an ObjectId is its plain
 * 24-hex id string (production answers `db.ObjectId({ id })` fields that way; they stay ObjectIds in
 * storage and in queries). Outside JSON strings an unescaped `{"$oid":"…"}` can only be an ObjectId.
 */
export function encodeResponse(value: unknown): string {
  const text = encode(value);
  return text.includes('{"$oid":"') ? text.replace(/\{"\$oid":"([0-9a-f]{24})"\}/g, '"$1"') : text;
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
