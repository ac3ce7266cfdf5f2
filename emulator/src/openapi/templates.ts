import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** One subscription message template as registered in 微信公众平台 (cloud/subscribe-templates.json). */
export interface SubscribeTemplate {
  id: string;
  title?: string;
  /** keyword name (e.g. `thing1`) → keyword type (e.g. `thing`). */
  keywords: Record<string, string>;
}

/** One 公众号 template message template (`mpTemplates` of the same file). */
export interface MpTemplate {
  id: string;
  title?: string;
  /** The `data` keys the template shows, e.g. `first`, `keyword1`, ..., `remark`. */
  fields: string[];
}

interface TemplateFile {
  templates: Map<string, SubscribeTemplate>;
  /** Undefined when the file has no `mpTemplates` list: 公众号 template ids are then not checked. */
  mpTemplates?: Map<string, MpTemplate>;
}

/**
 * The templates file, read once for every module that checks sends against it (the open APIs'
 * subscribeMessage.send and the 公众号 fake's message/template/send); re-read when it changes.
 */
export function createTemplateRegistry(projectRoot: string) {
  const file = path.join(projectRoot, 'cloud/subscribe-templates.json');
  let cache: { mtimeMs: number; value: TemplateFile } | undefined;
  const load = (): TemplateFile => {
    if (!existsSync(file)) return { templates: new Map() };
    const mtimeMs = statSync(file).mtimeMs;
    if (cache && cache.mtimeMs === mtimeMs) return cache.value;
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { templates?: SubscribeTemplate[]; mpTemplates?: unknown };
    const templates = new Map<string, SubscribeTemplate>();
    for (const template of parsed.templates ?? []) {
      if (template && typeof template.id === 'string') templates.set(template.id, { ...template, keywords: template.keywords ?? {} });
    }
    let mpTemplates: Map<string, MpTemplate> | undefined;
    if (Array.isArray(parsed.mpTemplates)) {
      mpTemplates = new Map();
      for (const template of parsed.mpTemplates as Array<Partial<MpTemplate> | null>) {
        if (!template || typeof template.id !== 'string') continue;
        const fields = Array.isArray(template.fields) ? template.fields.filter((f): f is string => typeof f === 'string') : [];
        mpTemplates.set(template.id, { id: template.id, title: template.title, fields });
      }
    }
    const value = { templates, mpTemplates };
    cache = { mtimeMs, value };
    return value;
  };
  return {
    file,
    /** Subscription message templates (`templates`), by id. */
    all(): Map<string, SubscribeTemplate> {
      return load().templates;
    },
    get(id: string): SubscribeTemplate | undefined {
      return load().templates.get(id);
    },
    /** 公众号 templates (`mpTemplates`), by id; undefined when the file has no such list. */
    mpTemplates(): Map<string, MpTemplate> | undefined {
      return load().mpTemplates;
    },
  };
}

export type TemplateRegistry = ReturnType<typeof createTemplateRegistry>;

const HAN = /\p{Script=Han}/u;
const chars = (value: string) => [...value];

// WeChat's date/time keywords: 年月日 (also written with - or /), optionally followed by a
// 24-hour time; `time` may also be a bare time. Either may be a range joined by `~`.
const DATE_PART = String.raw`\d{4}(?:年\d{1,2}月\d{1,2}日|[-/]\d{1,2}[-/]\d{1,2})`;
const TIME_PART = String.raw`(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?`;
const DATE_POINT = new RegExp(`^${DATE_PART}(?:\\s*${TIME_PART})?$`);
const TIME_POINT = new RegExp(`^(?:${DATE_PART}\\s*)?${TIME_PART}$`);

function range(value: string, point: RegExp): boolean {
  const parts = value.split('~').map((part) => part.trim());
  return parts.length <= 2 && parts.every((part) => point.test(part));
}

/**
 * Whether a keyword value is acceptable for its type, per WeChat's "订阅消息参数值内容限制说明".
 * Unknown types (e.g. `enum`) only need a non-empty value.
 */
export function keywordValueValid(type: string, value: string): boolean {
  const list = chars(value);
  switch (type) {
    case 'thing':
      return list.length <= 20;
    case 'number':
      return /^\d+(?:\.\d+)?$/.test(value) && value.replace('.', '').length <= 32;
    case 'letter':
      return /^[A-Za-z]{1,32}$/.test(value);
    case 'symbol':
      return list.length <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(value);
    case 'character_string':
      return list.length <= 32 && /^[\x20-\x7e]+$/.test(value);
    case 'phone_number':
      return list.length <= 17 && /^[\d+\-()\s]+$/.test(value) && /\d/.test(value);
    case 'car_number': {
      if (list.length > 8) return false;
      return list.every((c, i) => /^[A-Za-z0-9]$/.test(c) || ((i === 0 || i === list.length - 1) && HAN.test(c)));
    }
    case 'name':
      // Chinese (or mixed) names count as Chinese: ≤ 10; otherwise ≤ 20 letters or symbols.
      if (HAN.test(value)) return list.length <= 10 && !/\d/.test(value);
      return list.length <= 20 && !/[\p{N}]/u.test(value);
    case 'phrase':
      return list.length <= 5 && list.every((c) => HAN.test(c));
    case 'amount':
      return /^[¥￥$€£]?\d{1,10}(?:\.\d+)?元?$/.test(value);
    case 'date':
      return range(value, DATE_POINT);
    case 'time':
      return range(value, TIME_POINT);
    default:
      return true;
  }
}
