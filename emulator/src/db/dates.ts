/**
 * MongoDB's date expression operators, registered over mingo's (see `operators.ts`): mingo numbers weeks
 * from the ISO week (`$week` of 2019-05-14 is 20; MongoDB says 19), takes the ISO week-year from the
 * calendar year, reads the offset of `$dateFromParts`' timezone at the present instead of at the date,
 * clamps overflowing parts instead of carrying them, and knows no `UTC`, `Etc/GMT-8` or three-part zone
 * names. The rules here are MongoDB's documented ones: weeks of `$week` / `%U` begin on Sunday and days
 * before the year's first Sunday are week 0; ISO weeks begin on Monday and week 1 holds the year's
 * first Thursday; a timezone is an Olson name or a `±hh[[:]mm]` offset.
 */
import { evalExpr } from 'mingo/core';
import { isDate, isNil, MingoError } from 'mingo/util';

type Options = Parameters<typeof evalExpr>[2];
type ExprOp = (obj: any, expr: any, options: Options) => any;

const MINUTE = 60_000;
const DAY = 86_400_000;

function fail(message: string): never {
  throw new MingoError(message);
}

// ------------------------------------------------------------------ time zones

const OFFSET_RE = /^([+-])(\d{2})(?::?(\d{2}))?$/;
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(zone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      fail(`unrecognized time zone identifier: "${zone}"`);
    }
    zoneFormats.set(zone, format);
  }
  return format;
}

/** A time zone as MongoDB reads it: minutes east of UTC at a given instant. */
export type Zone = (utcMs: number) => number;

export const UTC: Zone = () => 0;

export function parseZone(value: unknown): Zone {
  if (typeof value !== 'string') fail(`timezone must evaluate to a string, found ${typeOf(value)}`);
  const offset = OFFSET_RE.exec(value);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    const signed = offset[1] === '-' ? -minutes : minutes;
    return () => signed;
  }
  const format = zoneFormat(value);
  return (utcMs) => {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(new Date(utcMs))) parts[part.type] = part.value;
    const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
    const local = utcFromFields(
      year,
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
      0,
    );
    return Math.round((local - (utcMs - (((utcMs % 1000) + 1000) % 1000))) / MINUTE);
  };
}

/** `Date.UTC` without its 0–99 → 1900s year mapping; months, days and times carry over. */
function utcFromFields(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

/** The UTC instant whose wall-clock time in `zone` is `localMs` (read as if it were UTC). */
function fromLocal(localMs: number, zone: Zone): number {
  const guess = localMs - zone(localMs) * MINUTE;
  return localMs - zone(guess) * MINUTE;
}

// ------------------------------------------------------------------ calendar

export interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 1 (Sunday) – 7 (Saturday), as `$dayOfWeek`. */
  dayOfWeek: number;
  /** 1 (Monday) – 7 (Sunday). */
  isoDayOfWeek: number;
  dayOfYear: number;
  /** Sunday-based week, 0–53. */
  week: number;
  isoWeek: number;
  isoWeekYear: number;
  offsetMinutes: number;
}

export function partsOf(date: Date, zone: Zone = UTC): Parts {
  const offsetMinutes = zone(date.getTime());
  const local = new Date(date.getTime() + offsetMinutes * MINUTE);
  const year = local.getUTCFullYear();
  const dayOfYear = Math.floor((local.getTime() - utcFromFields(year, 0, 1, 0, 0, 0, 0)) / DAY) + 1;
  const weekday = local.getUTCDay();
  const isoDayOfWeek = weekday === 0 ? 7 : weekday;
  // The ISO week-year is the year of this week's Thursday.
  const thursday = new Date(local.getTime() + (4 - isoDayOfWeek) * DAY);
  const isoWeekYear = thursday.getUTCFullYear();
  const thursdayOfYear = Math.floor((thursday.getTime() - utcFromFields(isoWeekYear, 0, 1, 0, 0, 0, 0)) / DAY);
  return {
    year,
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millisecond: local.getUTCMilliseconds(),
    dayOfWeek: weekday + 1,
    isoDayOfWeek,
    dayOfYear,
    week: Math.floor((dayOfYear + 6 - weekday) / 7),
    isoWeek: Math.floor(thursdayOfYear / 7) + 1,
    isoWeekYear,
    offsetMinutes,
  };
}

// ------------------------------------------------------------------ operands

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'object') return (value as any)._bsontype ?? 'object';
  return typeof value;
}

/** A BSON value MongoDB reads as a date: a date, an ObjectId (its creation second) or a timestamp. */
function asDate(value: unknown, op: string): Date {
  if (isDate(value)) return value;
  const bson = value as any;
  if (bson?._bsontype === 'ObjectId') return bson.getTimestamp();
  if (bson?._bsontype === 'Timestamp') return new Date(bson.getHighBits() * 1000);
  return fail(`${op}: can't convert from BSON type ${typeOf(value)} to Date`);
}

/** `{ $op: <date> }`, `{ $op: [<date>] }` or `{ $op: { date, timezone } }`; null when the date or zone is null. */
function dateArgument(obj: any, expr: any, options: Options, op: string): { date: Date; zone: Zone } | null {
  let dateExpr = expr;
  let zoneExpr: unknown;
  if (Array.isArray(expr)) {
    if (expr.length !== 1) fail(`Expression ${op} takes exactly 1 arguments. ${expr.length} were passed in.`);
    dateExpr = expr[0];
  } else if (expr && typeof expr === 'object' && !isDate(expr) && 'date' in expr) {
    for (const key of Object.keys(expr)) if (key !== 'date' && key !== 'timezone') fail(`unrecognized option to ${op}: "${key}"`);
    dateExpr = expr.date;
    zoneExpr = expr.timezone;
  }
  const date = evalExpr(obj, dateExpr, options);
  const zone = zoneExpr === undefined ? undefined : evalExpr(obj, zoneExpr, options);
  if (isNil(date) || (zoneExpr !== undefined && isNil(zone))) return null;
  return { date: asDate(date, op), zone: zone === undefined ? UTC : parseZone(zone) };
}

function partOperator(op: string, pick: (parts: Parts) => number): ExprOp {
  return (obj, expr, options) => {
    const arg = dateArgument(obj, expr, options, op);
    return arg ? pick(partsOf(arg.date, arg.zone)) : null;
  };
}

// ------------------------------------------------------------------ $dateToString

const pad = (value: number, width: number) => String(Math.abs(value)).padStart(width, '0');
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function formatDate(date: Date, format: string, zone: Zone): string {
  const p = partsOf(date, zone);
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const spec = format[++i];
    switch (spec) {
      case 'Y':
        out += pad(p.year, 4);
        break;
      case 'G':
        out += pad(p.isoWeekYear, 4);
        break;
      case 'm':
        out += pad(p.month, 2);
        break;
      case 'd':
        out += pad(p.day, 2);
        break;
      case 'H':
        out += pad(p.hour, 2);
        break;
      case 'M':
        out += pad(p.minute, 2);
        break;
      case 'S':
        out += pad(p.second, 2);
        break;
      case 'L':
        out += pad(p.millisecond, 3);
        break;
      case 'j':
        out += pad(p.dayOfYear, 3);
        break;
      case 'w':
        out += String(p.dayOfWeek);
        break;
      case 'u':
        out += String(p.isoDayOfWeek);
        break;
      case 'U':
        out += pad(p.week, 2);
        break;
      case 'V':
        out += pad(p.isoWeek, 2);
        break;
      case 'z':
        out += `${p.offsetMinutes < 0 ? '-' : '+'}${pad(Math.trunc(p.offsetMinutes / 60), 2)}${pad(p.offsetMinutes % 60, 2)}`;
        break;
      case 'Z':
        out += String(p.offsetMinutes);
        break;
      case 'b':
        out += MONTH_NAMES[p.month - 1].slice(0, 3);
        break;
      case 'B':
        out += MONTH_NAMES[p.month - 1];
        break;
      case '%':
        out += '%';
        break;
      case undefined:
        fail("Unmatched '%' at end of format string");
        break;
      default:
        fail(`Invalid format character '%${spec}' in format string`);
    }
  }
  return out;
}

const $dateToString: ExprOp = (obj, expr, options) => {
  if (!expr || typeof expr !== 'object' || Array.isArray(expr)) fail('$dateToString only supports an object as its argument');
  for (const key of Object.keys(expr)) {
    if (!['date', 'format', 'timezone', 'onNull'].includes(key)) fail(`Unrecognized parameter to $dateToString: ${key}`);
  }
  if (expr.date === undefined) fail("Missing 'date' parameter to $dateToString");
  const date = evalExpr(obj, expr.date, options);
  if (isNil(date)) return expr.onNull === undefined ? null : evalExpr(obj, expr.onNull, options);
  const format = expr.format === undefined ? '%Y-%m-%dT%H:%M:%S.%LZ' : evalExpr(obj, expr.format, options);
  const zone = expr.timezone === undefined ? 'UTC' : evalExpr(obj, expr.timezone, options);
  if (isNil(format) || isNil(zone)) return null;
  if (typeof format !== 'string') fail(`$dateToString requires that 'format' be a string, found: ${typeOf(format)}`);
  return formatDate(asDate(date, '$dateToString'), format, parseZone(zone));
};

// ------------------------------------------------------------------ $dateFromParts

const CALENDAR = ['year', 'month', 'day'] as const;
const ISO = ['isoWeekYear', 'isoWeek', 'isoDayOfWeek'] as const;
const TIME = ['hour', 'minute', 'second', 'millisecond'] as const;

const $dateFromParts: ExprOp = (obj, expr, options) => {
  if (!expr || typeof expr !== 'object' || Array.isArray(expr)) fail('$dateFromParts only supports an object as its argument');
  const allowed = new Set<string>([...CALENDAR, ...ISO, ...TIME, 'timezone']);
  for (const key of Object.keys(expr)) if (!allowed.has(key)) fail(`Unrecognized argument to $dateFromParts: ${key}`);
  const iso = ISO.some((key) => key in expr);
  if (iso && CALENDAR.some((key) => key in expr)) fail('$dateFromParts does not allow mixing natural dates with ISO dates');
  if (!(iso ? 'isoWeekYear' in expr : 'year' in expr)) fail(`$dateFromParts requires either 'year' or 'isoWeekYear' to be present`);
  const values: Record<string, number> = {};
  for (const key of [...(iso ? ISO : CALENDAR), ...TIME]) {
    if (!(key in expr)) continue;
    const value = evalExpr(obj, expr[key], options);
    if (isNil(value)) return null;
    if (typeof value !== 'number' || !Number.isInteger(value))
      fail(`'${key}' must evaluate to an integer, found ${typeOf(value)} with value ${String(value)}`);
    values[key] = value;
  }
  const first = iso ? values.isoWeekYear : values.year;
  if (first < 1 || first > 9999)
    fail(`'${iso ? 'isoWeekYear' : 'year'}' must evaluate to an integer in the range 1 to 9999, found ${first}`);
  let zone = UTC;
  if (expr.timezone !== undefined) {
    const name = evalExpr(obj, expr.timezone, options);
    if (isNil(name)) return null;
    zone = parseZone(name);
  }
  const [hour, minute, second, ms] = TIME.map((key) => values[key] ?? 0);
  let local: number;
  if (iso) {
    // Week 1 is the week (Monday first) holding January 4th.
    const jan4 = utcFromFields(values.isoWeekYear, 0, 4, 0, 0, 0, 0);
    const mondayOfWeek1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
    const days = ((values.isoWeek ?? 1) - 1) * 7 + ((values.isoDayOfWeek ?? 1) - 1);
    local = mondayOfWeek1 + days * DAY + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  } else {
    local = utcFromFields(values.year, (values.month ?? 1) - 1, values.day ?? 1, hour, minute, second, ms);
  }
  return new Date(fromLocal(local, zone));
};

// ------------------------------------------------------------------ $dateFromString

const SPEC_PATTERNS: Record<string, string> = {
  Y: '(\\d{4})',
  G: '(\\d{4})',
  m: '(\\d{1,2})',
  d: '(\\d{1,2})',
  H: '(\\d{1,2})',
  M: '(\\d{1,2})',
  S: '(\\d{1,2})',
  L: '(\\d{1,3})',
  j: '(\\d{1,3})',
  u: '(\\d)',
  V: '(\\d{1,2})',
  z: '([+-]\\d{2}(?::?\\d{2})?|Z)',
  Z: '([+-]\\d{1,4})',
  b: '([A-Za-z]{3})',
  B: '([A-Za-z]+)',
};

/** Without a format: ISO 8601 (date; `T` or space; time with optional seconds and fraction; `Z` or an offset). */
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

interface Parsed {
  fields: Record<string, number>;
  offset?: number;
}

function offsetMinutes(text: string): number {
  if (text === 'Z') return 0;
  const match = OFFSET_RE.exec(text);
  if (!match) fail(`Error parsing date string '${text}'`);
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

function parseDateString(text: string, format: string | undefined): Parsed | undefined {
  if (format === undefined) {
    const match = ISO_RE.exec(text.trim());
    if (!match) return undefined;
    const fraction = match[7] ? Number(`0.${match[7]}`) * 1000 : 0;
    return {
      fields: {
        year: Number(match[1]),
        month: Number(match[2]),
        day: Number(match[3]),
        hour: Number(match[4] ?? 0),
        minute: Number(match[5] ?? 0),
        second: Number(match[6] ?? 0),
        millisecond: Math.round(fraction),
      },
      offset: match[8] === undefined ? undefined : offsetMinutes(match[8]),
    };
  }
  let pattern = '';
  const specs: string[] = [];
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      pattern += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const spec = format[++i];
    if (spec === '%') {
      pattern += '%';
      continue;
    }
    if (!SPEC_PATTERNS[spec]) fail(`Invalid format character '%${spec}' in format string`);
    pattern += SPEC_PATTERNS[spec];
    specs.push(spec);
  }
  const match = new RegExp(`^${pattern}$`).exec(text);
  if (!match) return undefined;
  const fields: Record<string, number> = {};
  let offset: number | undefined;
  specs.forEach((spec, index) => {
    const value = match[index + 1];
    const names: Record<string, string> = {
      Y: 'year',
      G: 'isoWeekYear',
      m: 'month',
      d: 'day',
      H: 'hour',
      M: 'minute',
      S: 'second',
      j: 'dayOfYear',
      u: 'isoDayOfWeek',
      V: 'isoWeek',
    };
    if (spec === 'z') offset = offsetMinutes(value);
    else if (spec === 'Z') offset = Number(value);
    else if (spec === 'L') fields.millisecond = Number(value.padEnd(3, '0'));
    else if (spec === 'b' || spec === 'B') {
      const month = MONTH_NAMES.findIndex((name) => (spec === 'b' ? name.slice(0, 3) : name).toLowerCase() === value.toLowerCase());
      if (month < 0) fail(`Error parsing date string '${text}'`);
      fields.month = month + 1;
    } else fields[names[spec]] = Number(value);
  });
  return { fields, offset };
}

const $dateFromString: ExprOp = (obj, expr, options) => {
  if (!expr || typeof expr !== 'object' || Array.isArray(expr)) fail('$dateFromString only supports an object as an argument');
  for (const key of Object.keys(expr)) {
    if (!['dateString', 'format', 'timezone', 'onError', 'onNull'].includes(key)) fail(`Unrecognized argument to $dateFromString: ${key}`);
  }
  const text = evalExpr(obj, expr.dateString, options);
  if (isNil(text)) return expr.onNull === undefined ? null : evalExpr(obj, expr.onNull, options);
  const format = expr.format === undefined ? undefined : evalExpr(obj, expr.format, options);
  const zoneName = expr.timezone === undefined ? undefined : evalExpr(obj, expr.timezone, options);
  if ((expr.format !== undefined && isNil(format)) || (expr.timezone !== undefined && isNil(zoneName))) return null;
  const onError = (message: string) => (expr.onError === undefined ? fail(message) : evalExpr(obj, expr.onError, options));
  if (format !== undefined && typeof format !== 'string')
    fail(`$dateFromString requires that 'format' be a string, found: ${typeOf(format)}`);
  if (typeof text !== 'string')
    return onError(`$dateFromString requires that 'dateString' be a string, found: ${typeOf(text)} with value ${String(text)}`);
  let parsed: Parsed | undefined;
  try {
    parsed = parseDateString(text, format);
  } catch (error) {
    return onError((error as Error).message);
  }
  if (!parsed) return onError(`Error parsing date string '${text}'`);
  if (parsed.offset !== undefined && zoneName !== undefined) {
    fail('you cannot pass in a date/time string with GMT offset together with a timezone argument');
  }
  const f = parsed.fields;
  const time = ((f.hour ?? 0) * 60 + (f.minute ?? 0)) * 60_000 + (f.second ?? 0) * 1000 + (f.millisecond ?? 0);
  let local: number;
  if (f.isoWeekYear !== undefined) {
    const jan4 = utcFromFields(f.isoWeekYear, 0, 4, 0, 0, 0, 0);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
    local = monday + (((f.isoWeek ?? 1) - 1) * 7 + ((f.isoDayOfWeek ?? 1) - 1)) * DAY + time;
  } else if (f.dayOfYear !== undefined) {
    local = utcFromFields(f.year ?? 1970, 0, f.dayOfYear, 0, 0, 0, 0) + time;
  } else {
    const year = f.year ?? 1970;
    const month = f.month ?? 1;
    const day = f.day ?? 1;
    local = utcFromFields(year, month - 1, day, 0, 0, 0, 0) + time;
    const check = new Date(local);
    if (
      month < 1 ||
      month > 12 ||
      check.getUTCMonth() !== month - 1 ||
      (f.hour ?? 0) > 23 ||
      (f.minute ?? 0) > 59 ||
      (f.second ?? 0) > 59
    ) {
      return onError(`Error parsing date string '${text}'`);
    }
  }
  if (parsed.offset !== undefined) return new Date(local - parsed.offset * MINUTE);
  return new Date(fromLocal(local, zoneName === undefined ? UTC : parseZone(zoneName)));
};

// ------------------------------------------------------------------ $dateToParts

const $dateToParts: ExprOp = (obj, expr, options) => {
  if (!expr || typeof expr !== 'object' || Array.isArray(expr)) fail('$dateToParts only supports an object as its argument');
  const arg = dateArgument(
    obj,
    { date: expr.date, ...(expr.timezone === undefined ? {} : { timezone: expr.timezone }) },
    options,
    '$dateToParts',
  );
  if (!arg) return null;
  const iso = expr.iso8601 === undefined ? false : evalExpr(obj, expr.iso8601, options);
  const p = partsOf(arg.date, arg.zone);
  const time = { hour: p.hour, minute: p.minute, second: p.second, millisecond: p.millisecond };
  return iso
    ? { isoWeekYear: p.isoWeekYear, isoWeek: p.isoWeek, isoDayOfWeek: p.isoDayOfWeek, ...time }
    : { year: p.year, month: p.month, day: p.day, ...time };
};

export const dateOperators: Record<string, ExprOp> = {
  $year: partOperator('$year', (p) => p.year),
  $month: partOperator('$month', (p) => p.month),
  $dayOfMonth: partOperator('$dayOfMonth', (p) => p.day),
  $hour: partOperator('$hour', (p) => p.hour),
  $minute: partOperator('$minute', (p) => p.minute),
  $second: partOperator('$second', (p) => p.second),
  $millisecond: partOperator('$millisecond', (p) => p.millisecond),
  $dayOfYear: partOperator('$dayOfYear', (p) => p.dayOfYear),
  $dayOfWeek: partOperator('$dayOfWeek', (p) => p.dayOfWeek),
  $isoDayOfWeek: partOperator('$isoDayOfWeek', (p) => p.isoDayOfWeek),
  $week: partOperator('$week', (p) => p.week),
  $isoWeek: partOperator('$isoWeek', (p) => p.isoWeek),
  $isoWeekYear: partOperator('$isoWeekYear', (p) => p.isoWeekYear),
  $dateToString,
  $dateFromParts,
  $dateFromString,
  $dateToParts,
};
