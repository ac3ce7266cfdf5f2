/**
 * Fits a value to a subscription message keyword's type (WeChat's "订阅消息参数值内容限制说明",
 * PLATFORM.md), so a message built from valid notice data never fails with 47003: text is cut with
 * an ellipsis, characters a type does not allow are dropped, money and times are formatted here.
 * Pure: the dispatcher and the local cloud's checks meet on these rules.
 */
export type KeywordValue = string | number | Date;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const HAN = /\p{Script=Han}/u;
const ELLIPSIS = '…';

/** Code points, not UTF-16 units: an emoji is one character to WeChat, two to `String.length`. */
function chars(value: string): string[] {
  return [...value];
}

function cut(value: string, max: number, ellipsis: boolean): string {
  const list = chars(value);
  if (list.length <= max) return value;
  return ellipsis ? list.slice(0, max - 1).join('') + ELLIPSIS : list.slice(0, max).join('');
}

/** One line of plain text: control characters and runs of white space become one space. */
function plain(value: KeywordValue): string {
  const text = value instanceof Date ? value.toISOString() : String(value);
  return text
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function dateOf(value: KeywordValue): Date {
  const at = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(at.getTime())) throw new RangeError(`a date keyword needs a date, got ${String(value).slice(0, 40)}`);
  return at;
}

function shanghai(at: Date): { y: number; m: number; d: number; hh: string; mm: string } {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return {
    y: local.getUTCFullYear(),
    m: local.getUTCMonth() + 1,
    d: local.getUTCDate(),
    hh: String(local.getUTCHours()).padStart(2, '0'),
    mm: String(local.getUTCMinutes()).padStart(2, '0'),
  };
}

/** Fen as WeChat's `amount`: `¥59.00` (a string that already is an amount is kept). */
function amount(value: KeywordValue): string {
  if (typeof value === 'number') {
    const fen = Math.min(Math.abs(Math.round(value)), 99_999_999_99);
    return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  }
  const text = plain(value).replace(/\s/g, '');
  return /^[¥￥$€£]?\d{1,10}(?:\.\d+)?元?$/.test(text) ? text : '¥0.00';
}

export function fitKeyword(type: string, value: KeywordValue): string {
  switch (type) {
    case 'thing':
      return cut(plain(value) || '-', 20, true);
    case 'number': {
      const digits = typeof value === 'number' ? String(Math.abs(Math.trunc(value))) : plain(value).replace(/[^\d]/g, '');
      return cut(digits || '0', 32, false);
    }
    case 'letter':
      return cut(plain(value).replace(/[^A-Za-z]/g, '') || 'NA', 32, false);
    case 'symbol':
      return cut(plain(value).replace(/[\p{L}\p{N}\s]/gu, '') || '-', 5, false);
    case 'character_string':
      return cut(
        plain(value)
          .replace(/[^\x20-\x7e]/g, '')
          .trim() || '-',
        32,
        false,
      );
    case 'phone_number': {
      const phone = cut(
        plain(value)
          .replace(/[^\d+\-() ]/g, '')
          .trim(),
        17,
        false,
      );
      return /\d/.test(phone) ? phone : '0';
    }
    case 'car_number': {
      const list = chars(plain(value).replace(/\s/g, ''));
      const kept = list.filter((c, i) => /^[A-Za-z0-9]$/.test(c) || ((i === 0 || i === list.length - 1) && HAN.test(c)));
      return cut(kept.join('') || '0', 8, false);
    }
    case 'name': {
      const text = plain(value).replace(/\p{N}/gu, '');
      if (HAN.test(text)) return cut(text, 10, true);
      return cut(text || '会员', 20, true);
    }
    case 'phrase':
      return cut(
        chars(plain(value))
          .filter((c) => HAN.test(c))
          .join('') || '通知',
        5,
        false,
      );
    case 'amount':
      return amount(value);
    case 'date': {
      const { y, m, d } = shanghai(dateOf(value));
      return `${y}年${m}月${d}日`;
    }
    case 'time': {
      const { y, m, d, hh, mm } = shanghai(dateOf(value));
      return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')} ${hh}:${mm}`;
    }
    default:
      return cut(plain(value) || '-', 20, true);
  }
}
