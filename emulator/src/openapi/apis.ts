import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import type { EmulatorContext, StateStore } from '../context';
import type { AppPages } from './app-pages';
import type { GrantLedger } from './grants';
import { checkImage, checkMessage, SecurityCheckError, type SecurityRules } from './security';
import { keywordValueValid, type SubscribeTemplate } from './templates';
import type { DecodedOpenApiRequest } from './wire';

/** A WeChat API error: answered as `{ errcode, errmsg: '<errmsg> rid: ...' }` like api.weixin.qq.com. */
export class OpenApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${errcode} ${errmsg}`);
  }
}

export type OpenApiOutcome =
  | { kind: 'json'; body: Record<string, unknown>; note?: Record<string, unknown> }
  | { kind: 'binary'; bytes: Buffer; contentType: string; note?: Record<string, unknown> };

export interface OpenApiDeps {
  ctx: EmulatorContext;
  grants: GrantLedger;
  media: MediaStore;
  templates: { get(id: string): SubscribeTemplate | undefined; all(): Map<string, SubscribeTemplate> };
  pages(): AppPages | undefined;
  security: SecurityRules;
}

export type OpenApiHandler = (request: DecodedOpenApiRequest, deps: OpenApiDeps) => Promise<OpenApiOutcome> | OpenApiOutcome;

const OK = { errcode: 0, errmsg: 'ok' };

/** `pages/a/b?x=1` → `pages/a/b`. */
const pathOnly = (page: string) => page.split('?')[0] ?? '';

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

function knownMiniOpenid(deps: OpenApiDeps, openid: string | undefined): openid is string {
  return !!openid && (!!deps.ctx.personas.byOpenid(openid) || deps.grants.knows(openid));
}

/** Production checks a page against the released app.json; here against the app config in the repo. */
function assertPage(deps: OpenApiDeps, page: string, options: { allowQuery: boolean }): void {
  if (page.startsWith('/')) throw new OpenApiError(41030, 'invalid page');
  if (!options.allowQuery && page.includes('?')) throw new OpenApiError(41030, 'invalid page');
  const app = deps.pages();
  if (app && !app.pages.includes(pathOnly(page))) throw new OpenApiError(41030, 'invalid page');
}

// --- subscribeMessage -------------------------------------------------------------------------

const MINIPROGRAM_STATES = new Set(['developer', 'trial', 'formal']);
const LANGS = new Set(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']);

const subscribeMessageSend: OpenApiHandler = ({ params }, deps) => {
  const touser = str(params.touser);
  if (!knownMiniOpenid(deps, touser)) throw new OpenApiError(40003, 'invalid openid');
  const templateId = str(params.template_id);
  const template = templateId ? deps.templates.get(templateId) : undefined;
  if (!template || !templateId) throw new OpenApiError(40037, 'invalid template_id');
  const page = str(params.page);
  if (page) assertPage(deps, page, { allowQuery: true });
  const state = params.miniprogram_state;
  if (state !== undefined && !MINIPROGRAM_STATES.has(String(state)))
    throw new OpenApiError(47003, 'argument invalid! miniprogram_state invalid');
  const lang = params.lang;
  if (lang !== undefined && !LANGS.has(String(lang))) throw new OpenApiError(47003, 'argument invalid! lang invalid');
  const data = params.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new OpenApiError(47003, 'argument invalid! data is empty');
  for (const [keyword, type] of Object.entries(template.keywords)) {
    const entry = (data as Record<string, unknown>)[keyword];
    const value = entry && typeof entry === 'object' ? str((entry as { value?: unknown }).value) : undefined;
    if (value === undefined || value.trim() === '') throw new OpenApiError(47003, `argument invalid! data.${keyword}.value is empty`);
    if (!keywordValueValid(type, value)) throw new OpenApiError(47003, `argument invalid! data.${keyword}.value invalid`);
  }
  // Last, and synchronously with the checks above: a refused send never spends a grant.
  if (!deps.grants.consume(touser, templateId)) throw new OpenApiError(43101, 'user refuse to accept the msg');
  return { kind: 'json', body: { ...OK } };
};

/**
 * The account's private templates (wxaapi/newtmpl/gettemplate), as WeChat lists them: `content` names
 * each keyword as `{{thing1.DATA}}`. The account's list here is the registry, cloud/subscribe-templates.json.
 */
const subscribeMessageGetTemplateList: OpenApiHandler = (_request, deps) => ({
  kind: 'json',
  body: {
    ...OK,
    data: [...deps.templates.all().values()].map((template) => ({
      priTmplId: template.id,
      title: template.title ?? template.id,
      content: Object.keys(template.keywords)
        .map((keyword) => `${keyword}:{{${keyword}.DATA}}`)
        .join('\n'),
      example: '',
      type: 2,
    })),
  },
});

// --- wxacode ----------------------------------------------------------------------------------

const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;
const ENV_VERSIONS = new Set(['release', 'trial', 'develop']);

function h5Base(ctx: EmulatorContext): string {
  return (ctx.options.h5Url ?? ctx.baseUrl).replace(/\/+$/, '');
}

function clampWidth(value: unknown): number {
  const width = Number(value ?? 430);
  if (!Number.isFinite(width)) return 430;
  return Math.min(1280, Math.max(280, Math.round(width)));
}

function colorHex(color: unknown): string {
  if (!color || typeof color !== 'object') return '#000000ff';
  const c = color as { r?: unknown; g?: unknown; b?: unknown };
  const part = (v: unknown) =>
    Math.min(255, Math.max(0, Number(v) || 0))
      .toString(16)
      .padStart(2, '0');
  return `#${part(c.r)}${part(c.g)}${part(c.b)}ff`;
}

async function qrPng(url: string, params: Record<string, unknown>): Promise<Buffer> {
  return QRCode.toBuffer(url, {
    type: 'png',
    width: clampWidth(params.width),
    margin: 2,
    errorCorrectionLevel: 'M',
    color: {
      dark: params.auto_color === true ? '#000000ff' : colorHex(params.line_color),
      light: params.is_hyaline === true ? '#00000000' : '#ffffffff',
    },
  });
}

const wxacodeGetUnlimited: OpenApiHandler = async ({ params }, deps) => {
  const scene = str(params.scene);
  if (scene === undefined || !SCENE.test(scene)) {
    throw new OpenApiError(40169, 'invalid length for scene, or the data is not json string');
  }
  const envVersion = params.env_version;
  if (envVersion !== undefined && !ENV_VERSIONS.has(String(envVersion))) throw new OpenApiError(40097, 'invalid args');
  let page = str(params.page) ?? '';
  if (page) {
    if (page.startsWith('/') || page.includes('?')) throw new OpenApiError(41030, 'invalid page');
    if (params.check_path !== false) assertPage(deps, page, { allowQuery: false });
  } else {
    page = deps.pages()?.home ?? '';
  }
  // The H5 build of the app uses hash routing; scanning the code opens the page with the scene,
  // as WeChat opens the mini-program page with `query.scene`.
  const url = `${h5Base(deps.ctx)}/#/${page}?scene=${encodeURIComponent(scene)}`;
  const bytes = await qrPng(url, params);
  return { kind: 'binary', bytes, contentType: 'image/png', note: { url } };
};

/** wxacode.get / wxacode.createQRCode: a code for a path with its query (limited count in production). */
const wxacodeForPath: OpenApiHandler = async ({ params }, deps) => {
  const path = str(params.path);
  if (!path || Buffer.byteLength(path) > 1024) throw new OpenApiError(40159, 'invalid length for path, or the data is not json string');
  const [pagePath, query] = path.replace(/^\/+/, '').split(/\?(.*)/s);
  const app = deps.pages();
  if (app && pagePath && !app.pages.includes(pagePath)) throw new OpenApiError(41030, 'invalid page');
  const url = `${h5Base(deps.ctx)}/#/${pagePath ?? ''}${query ? `?${query}` : ''}`;
  const bytes = await qrPng(url, params);
  return { kind: 'binary', bytes, contentType: 'image/png', note: { url } };
};

// --- customerServiceMessage -------------------------------------------------------------------

/** Temporary media (customerServiceMessage.uploadTempMedia): valid 3 days, like production. */
export function createMediaStore(state: StateStore, ctx: EmulatorContext) {
  const KEY = 'openapi.media';
  type Entry = { type: string; createdAt: number; size: number; filename: string };
  const load = () => state.get<Record<string, Entry>>(KEY) ?? {};
  const TTL_MS = 3 * 24 * 3600 * 1000;
  return {
    add(type: string, filename: string, size: number): { mediaId: string; createdAt: number } {
      const mediaId = `duet_${randomBytes(24).toString('base64url')}`;
      const createdAt = Math.floor(ctx.clock.nowMs() / 1000);
      state.set(KEY, { ...load(), [mediaId]: { type, createdAt, size, filename } });
      return { mediaId, createdAt };
    },
    valid(mediaId: string): boolean {
      const entry = load()[mediaId];
      return !!entry && entry.createdAt * 1000 + TTL_MS > ctx.clock.nowMs();
    },
    reset(): void {
      state.set(KEY, {});
    },
  };
}

export type MediaStore = ReturnType<typeof createMediaStore>;

function requireFields(msgtype: string, body: unknown, fields: string[]): Record<string, unknown> {
  if (!body || typeof body !== 'object') throw new OpenApiError(47001, `data format error hint: ${msgtype} is empty`);
  for (const field of fields) {
    const value = str((body as Record<string, unknown>)[field]);
    if (!value) throw new OpenApiError(47001, `data format error hint: ${msgtype}.${field} is empty`);
  }
  return body as Record<string, unknown>;
}

const customerServiceMessageSend: OpenApiHandler = ({ params }, deps) => {
  const touser = str(params.touser);
  if (!knownMiniOpenid(deps, touser)) throw new OpenApiError(40003, 'invalid openid');
  const msgtype = str(params.msgtype) ?? '';
  switch (msgtype) {
    case 'text': {
      const text = params.text as { content?: unknown } | undefined;
      if (!str(text?.content)) throw new OpenApiError(44004, 'empty content');
      break;
    }
    case 'image': {
      const image = requireFields('image', params.image, ['media_id']);
      if (!deps.media.valid(String(image.media_id))) throw new OpenApiError(40007, 'invalid media_id');
      break;
    }
    case 'link':
      requireFields('link', params.link, ['title', 'description', 'url', 'thumb_url']);
      break;
    case 'miniprogrampage': {
      const card = requireFields('miniprogrampage', params.miniprogrampage, ['title', 'pagepath', 'thumb_media_id']);
      if (!deps.media.valid(String(card.thumb_media_id))) throw new OpenApiError(40007, 'invalid media_id');
      break;
    }
    default:
      throw new OpenApiError(40008, 'invalid message type');
  }
  return { kind: 'json', body: { ...OK } };
};

const customerServiceMessageUploadTempMedia: OpenApiHandler = ({ params, media }, deps) => {
  const type = str(params.type) ?? '';
  if (type !== 'image') throw new OpenApiError(40004, 'invalid media type');
  const upload = media.media;
  if (!upload || upload.bytes.length === 0) throw new OpenApiError(41005, 'media data missing');
  const stored = deps.media.add(type, upload.filename, upload.bytes.length);
  return { kind: 'json', body: { errcode: 0, errmsg: 'ok', type, media_id: stored.mediaId, created_at: stored.createdAt } };
};

// --- security (content checks) ---------------------------------------------------------------

/** A verdict refusal (87014 risky content, 40003, 47001 ...) answered as WeChat answers it. */
function asOpenApiError(error: unknown): never {
  if (error instanceof SecurityCheckError) throw new OpenApiError(error.errcode, error.errmsg);
  throw error;
}

const securityMsgSecCheck: OpenApiHandler = (request, deps) => {
  try {
    return { kind: 'json', body: checkMessage(request, deps.security.list(), (openid) => knownMiniOpenid(deps, openid)) };
  } catch (error) {
    return asOpenApiError(error);
  }
};

const securityImgSecCheck: OpenApiHandler = async (request, deps) => {
  try {
    return { kind: 'json', body: await checkImage(request, deps.security.list(), deps.ctx) };
  } catch (error) {
    return asOpenApiError(error);
  }
};

export const HANDLERS: Record<string, OpenApiHandler> = {
  'security.msgSecCheck': securityMsgSecCheck,
  'security.imgSecCheck': securityImgSecCheck,
  'subscribeMessage.send': subscribeMessageSend,
  'subscribeMessage.getTemplateList': subscribeMessageGetTemplateList,
  'wxacode.getUnlimited': wxacodeGetUnlimited,
  'wxacode.get': wxacodeForPath,
  'wxacode.createQRCode': wxacodeForPath,
  'customerServiceMessage.send': customerServiceMessageSend,
  'customerServiceMessage.uploadTempMedia': customerServiceMessageUploadTempMedia,
};

/** Any other openapi: recorded and answered ok, so functions that call it keep working. */
export const genericHandler: OpenApiHandler = () => ({ kind: 'json', body: { ...OK } });
