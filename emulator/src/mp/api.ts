import { randomBytes, randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import { parseAdminRequest } from '../admin-request';
import { type EmulatorContext, isPayFailFault, type Persona } from '../context';
import { readBody, route, type RouteHandler, type RouteRequest, sendBuffer, sendJson } from '../http';
import { datacubeApis } from './datacube';
import { type Follower, FollowerList } from './followers';
import type { MpStore } from './store';

/**
 * The 公众号 API (https://api.weixin.qq.com/cgi-bin/...) under `${baseUrl}/mp/cgi-bin/...`, and its
 * statistics (https://api.weixin.qq.com/datacube/..., outside cgi-bin as in production) under
 * `${baseUrl}/mp/datacube/...`. Errors are HTTP 200 `{ errcode, errmsg }` with production's English
 * text and a `rid` suffix, as WeChat sends them. Every call lands in the outbox (kind `mp`, api = path
 * after cgi-bin/, or `datacube/<api>`). Faults target `mp.<api>` (e.g. `mp.message/template/send`,
 * `mp.datacube/getusersummary`).
 */

const TOKEN_TTL_S = 7200;
/** After a new token is issued the previous one keeps working this long (WeChat: 5 minutes). */
const TOKEN_GRACE_MS = 5 * 60_000;
/** Customer-service messages may be sent this long after the user's last interaction. */
const CS_WINDOW_MS = 48 * 3600_000;
const QR_TEMP_DEFAULT_S = 60;
const QR_TEMP_MAX_S = 2_592_000;
/** `user/get` lists at most this many openids per call. */
const FOLLOWERS_PER_PAGE = 10_000;
/** `user/info/batchget` takes at most this many openids per call. */
const BATCHGET_MAX = 100;

type Answer = Record<string, unknown>;

function rid(): string {
  return `${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;
}

export function mpError(errcode: number, message: string): Answer {
  return { errcode, errmsg: `${message} rid: ${rid()}` };
}

const OK: Answer = { errcode: 0, errmsg: 'ok' };

function bytes(value: unknown): number {
  return Buffer.byteLength(String(value ?? ''), 'utf8');
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

export function registerMpApi(ctx: EmulatorContext, store: MpStore): void {
  const now = () => ctx.clock.nowMs();
  // WeChat serves the statistics beside cgi-bin, not in it.
  const pathOf = (api: string) => (api.startsWith('datacube/') ? `/mp/${api}` : `/mp/cgi-bin/${api}`);
  // Personas that follow from the start have no follow event: date them to when the emulator started.
  const startedAt = Math.floor(now() / 1000);
  const defaultSubscribeTime = () => startedAt;
  const followers = new FollowerList(ctx, store);

  const record = (api: string, request: unknown, response: unknown) => {
    ctx.outbox.record({ kind: 'mp', api, request, response });
  };

  /** What the outbox keeps of a faulted call: the JSON body of a POST, else the query; never the token or secret. */
  const faultedRequest = async ({ req, url }: RouteRequest): Promise<unknown> => {
    const query = Object.fromEntries(
      [...url.searchParams].filter(([key]) => key !== 'access_token').map(([key, value]) => [key, key === 'secret' ? '(given)' : value]),
    );
    if (req.method !== 'POST') return query;
    const raw = await readBody(req);
    try {
      const body = JSON.parse(raw.toString('utf8'));
      if (body && typeof body === 'object' && !Array.isArray(body)) return body;
    } catch {
      // Not JSON (a media upload): its size is enough.
    }
    return { ...query, size: raw.length };
  };

  /**
   * Injected faults of `mp.<api>`, before anything of the API (the token check included, as for the
   * actions and open APIs): a delay, then an error or a timeout. Returns the answer to give instead
   * of the API's, `null` when the caller is gone, or undefined to go on.
   */
  const injected = async (api: string, request: RouteRequest): Promise<Answer | null | undefined> => {
    const target = `mp.${api}`;
    // Both taken on arrival, so that concurrent calls meet the faults in the order they came.
    const delayMs = ctx.faults.takeDelay(target);
    const fault = ctx.faults.take(target);
    if (delayMs !== undefined && !(await request.delay(delayMs))) return null;
    if (fault === 'timeout') {
      // WeChat not answering: nothing comes back until the caller gives up (or a reset or stop).
      await request.hold();
      return null;
    }
    // A pay business failure is refused for any target but cloudPay.<api>; never seen here.
    if (!fault || isPayFailFault(fault)) return undefined;
    // Verbatim, without a rid: the test that injected it knows the text to expect.
    const answer = { errcode: fault.errCode, errmsg: fault.errMsg };
    record(api, await faultedRequest(request), { ...answer, fault: true });
    return answer;
  };

  /** Every API route: its faults first, then the handler. */
  const serve = (method: 'GET' | 'POST', api: string, handler: RouteHandler) => {
    ctx.route(
      route(method, pathOf(api), async (request) => {
        const instead = await injected(api, request);
        if (instead === null) return undefined;
        return instead ?? handler(request);
      }),
    );
  };

  /** Checks `access_token`; returns the error answer, or undefined when the token is good. */
  const checkToken = (url: URL): Answer | undefined => {
    const token = url.searchParams.get('access_token');
    if (!token) return mpError(41001, 'access_token missing');
    const found = store.state.tokens.find((t) => t.token === token);
    if (!found) return mpError(40001, 'invalid credential, access_token is invalid or not latest');
    if (found.supersededAt !== undefined && found.supersededAt + TOKEN_GRACE_MS < now()) {
      return mpError(40001, 'invalid credential, access_token is invalid or not latest');
    }
    if (found.expiresAt <= now()) return mpError(42001, 'access_token expired');
    return undefined;
  };

  const readJsonBody = async (request: RouteRequest): Promise<{ body?: Record<string, any>; error?: Answer }> => {
    const raw = await readBody(request.req);
    try {
      const body = JSON.parse(raw.toString('utf8'));
      if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: mpError(47001, 'data format error') };
      return { body };
    } catch {
      return { error: mpError(47001, 'data format error') };
    }
  };

  /**
   * A page of the mini-program, query allowed (`pages/order/index?id=1`). Production knows the
   * released app; here the app config in the repository, and without one any page passes.
   */
  const isAppPage = (pagepath: unknown): boolean => {
    if (!nonEmpty(pagepath)) return false;
    const app = ctx.project.pages();
    return !app || app.pages.includes(pagepath.split('?')[0].replace(/^\/+/, ''));
  };

  /** A follower the 公众号 may write to, or the error WeChat gives. */
  const follower = (openid: unknown): { persona?: Persona; error?: Answer } => {
    const persona = typeof openid === 'string' ? ctx.personas.byMpOpenid(openid) : undefined;
    if (!persona) return { error: mpError(40003, 'invalid openid') };
    if (!persona.follows) return { error: mpError(43004, 'require subscribe') };
    return { persona };
  };

  /** What `user/info` and `user/info/batchget` tell about a follower (no nickname or avatar, as production since 2021). */
  const followerInfo = (follower: Follower, lang: string): Answer => {
    const details = store.state.subscribers[follower.openid];
    return {
      subscribe: 1,
      openid: follower.openid,
      language: lang,
      subscribe_time: follower.subscribeTime ?? defaultSubscribeTime(),
      ...(follower.unionid ? { unionid: follower.unionid } : {}),
      remark: '',
      groupid: 0,
      tagid_list: [],
      subscribe_scene: details?.scene ?? 'ADD_SCENE_SEARCH',
      qr_scene: details?.qrScene ?? 0,
      qr_scene_str: details?.qrSceneStr ?? '',
    };
  };

  /**
   * POST APIs: token check, JSON body, handler, outbox. `recorded` shortens what the outbox keeps of
   * a large answer (the outbox is saved whole on every call).
   */
  const post = (
    api: string,
    handler: (body: Record<string, any>, request: RouteRequest) => Answer | Promise<Answer>,
    recorded: (answer: Answer) => unknown = (answer) => answer,
  ) => {
    serve('POST', api, async (request) => {
      const tokenError = checkToken(request.url);
      let answer: Answer;
      let body: unknown;
      if (tokenError) answer = tokenError;
      else {
        const parsed = await readJsonBody(request);
        body = parsed.body;
        answer = parsed.error ?? (await handler(parsed.body ?? {}, request));
      }
      record(api, body ?? null, answer.errcode ? answer : recorded(answer));
      return answer;
    });
  };

  // --- access token -------------------------------------------------------------------------
  serve('GET', 'token', ({ url }) => {
    const query = Object.fromEntries(url.searchParams);
    let answer: Answer;
    if (query.grant_type !== 'client_credential') answer = mpError(40002, 'invalid grant_type');
    else if (query.appid !== ctx.options.mp.appid) answer = mpError(40013, 'invalid appid');
    else if (query.secret !== ctx.options.mp.secret) answer = mpError(40125, 'invalid appsecret');
    else {
      const issuedAt = now();
      for (const t of store.state.tokens) t.supersededAt ??= issuedAt;
      // Keep only what can still answer: superseded tokens past their grace are gone for good.
      store.state.tokens = store.state.tokens.filter((t) => (t.supersededAt ?? issuedAt) + TOKEN_GRACE_MS > issuedAt);
      const token = `${randomInt(80, 99)}_${randomBytes(96).toString('base64url')}`;
      store.state.tokens.push({ token, issuedAt, expiresAt: issuedAt + TOKEN_TTL_S * 1000 });
      store.save();
      answer = { access_token: token, expires_in: TOKEN_TTL_S };
    }
    record('token', { grant_type: query.grant_type, appid: query.appid, secret: query.secret ? '(given)' : undefined }, answer);
    return answer;
  });

  // --- user/info, user/get, user/info/batchget ------------------------------------------------
  serve('GET', 'user/info', ({ url }) => {
    const openid = url.searchParams.get('openid') ?? '';
    let answer: Answer | undefined = checkToken(url);
    if (!answer) {
      const follower = followers.find(openid);
      if (!follower) answer = mpError(40003, 'invalid openid');
      else if (!follower.follows) answer = { subscribe: 0, openid };
      else answer = followerInfo(follower, url.searchParams.get('lang') ?? 'zh_CN');
    }
    record('user/info', { openid, lang: url.searchParams.get('lang') ?? undefined }, answer);
    return answer;
  });

  serve('GET', 'user/get', ({ url }) => {
    const nextOpenid = url.searchParams.get('next_openid') ?? '';
    let answer: Answer | undefined = checkToken(url);
    if (!answer) {
      const page = followers.page(nextOpenid, FOLLOWERS_PER_PAGE);
      if (!page) answer = mpError(40003, 'invalid next_openid');
      else if (page.openids.length === 0) answer = { total: page.total, count: 0, next_openid: '' };
      else {
        const openids = page.openids;
        answer = { total: page.total, count: openids.length, data: { openid: openids }, next_openid: openids[openids.length - 1] };
      }
    }
    // The list itself (up to 10,000 openids) stays out of the outbox.
    const { data: _list, ...kept } = answer;
    record('user/get', { next_openid: nextOpenid || undefined }, kept);
    return answer;
  });

  post(
    'user/info/batchget',
    (body) => {
      const list = body.user_list;
      if (!Array.isArray(list) || list.length === 0 || list.length > BATCHGET_MAX) return mpError(40032, 'invalid openid list size');
      const infos: Answer[] = [];
      for (const entry of list) {
        const openid = entry && typeof entry === 'object' ? entry.openid : undefined;
        const follower = typeof openid === 'string' ? followers.find(openid) : undefined;
        if (!follower) return mpError(40003, 'invalid openid');
        const lang = typeof entry.lang === 'string' && entry.lang ? entry.lang : 'zh_CN';
        infos.push(follower.follows ? followerInfo(follower, lang) : { subscribe: 0, openid });
      }
      return { user_info_list: infos };
    },
    (answer) => ({
      user_info_list: (answer.user_info_list as Answer[]).map(({ openid, subscribe, unionid }) => ({ openid, subscribe, unionid })),
    }),
  );

  // --- menu -----------------------------------------------------------------------------------
  post('menu/create', (body) => {
    const problem = checkMenu(body, ctx.options.appid);
    if (problem) return problem;
    store.state.menu = { button: body.button };
    store.save();
    return OK;
  });
  serve('GET', 'menu/get', ({ url }) => {
    const answer = checkToken(url) ?? (store.state.menu ? { menu: store.state.menu } : mpError(46003, 'menu no exist'));
    record('menu/get', null, answer);
    return answer;
  });

  // --- messages -------------------------------------------------------------------------------
  post('message/custom/send', (body) => {
    const { persona, error } = follower(body.touser);
    if (error) return error;
    const last = store.state.interactions[(persona as Persona).mpOpenid];
    if (last === undefined || now() - last > CS_WINDOW_MS) {
      return mpError(45015, 'response out of time limit or subscription is canceled');
    }
    switch (body.msgtype) {
      case 'text':
        if (!nonEmpty(body.text?.content)) return mpError(44004, 'empty content');
        return OK;
      case 'image':
        if (!nonEmpty(body.image?.media_id)) return mpError(40007, 'invalid media_id');
        return OK;
      case 'link':
        if (!nonEmpty(body.link?.title) || !nonEmpty(body.link?.url)) return mpError(47001, 'data format error');
        return OK;
      case 'miniprogrampage': {
        const page = body.miniprogrampage ?? {};
        if (!nonEmpty(page.appid) || page.appid !== ctx.options.appid) return mpError(40166, 'invalid weapp appid');
        if (!nonEmpty(page.pagepath)) return mpError(40165, 'invalid weapp pagepath');
        if (!nonEmpty(page.thumb_media_id)) return mpError(40007, 'invalid media_id');
        if (!nonEmpty(page.title)) return mpError(47001, 'data format error');
        return OK;
      }
      default:
        return mpError(40008, 'invalid message type');
    }
  });

  post('message/template/send', (body) => {
    const { error } = follower(body.touser);
    if (error) return error;
    if (!nonEmpty(body.template_id)) return mpError(40037, 'invalid template_id');
    // With no `mpTemplates` in the templates file there is nothing to check against: any id, data and page pass.
    const registered = ctx.project.templates.mpTemplates();
    const template = registered?.get(body.template_id);
    if (registered && !template) return mpError(40037, 'invalid template_id');
    if (!body.data || typeof body.data !== 'object' || Array.isArray(body.data)) return mpError(47001, 'data format error');
    // WeChat shows the template's fields and ignores any other key; a field it shows must be { value: string }.
    for (const field of template?.fields ?? []) {
      if (!(field in body.data)) continue;
      const entry = body.data[field];
      if (!entry || typeof entry !== 'object' || typeof entry.value !== 'string') return mpError(47001, 'data format error');
    }
    if (body.miniprogram !== undefined) {
      if (!nonEmpty(body.miniprogram?.appid) || body.miniprogram.appid !== ctx.options.appid) return mpError(40166, 'invalid weapp appid');
      const pagepath = body.miniprogram.pagepath;
      if (registered && pagepath !== undefined && !isAppPage(pagepath)) return mpError(40165, 'invalid weapp pagepath');
    }
    return { ...OK, msgid: randomInt(1_000_000_000, 2_000_000_000) * 1000 + randomInt(1000) };
  });

  // --- QR codes -------------------------------------------------------------------------------
  post('qrcode/create', (body) => {
    const actionName = body.action_name;
    if (!['QR_SCENE', 'QR_STR_SCENE', 'QR_LIMIT_SCENE', 'QR_LIMIT_STR_SCENE'].includes(actionName)) {
      return mpError(40052, 'invalid action name');
    }
    const scene = body.action_info?.scene ?? {};
    const limited = actionName.startsWith('QR_LIMIT');
    const byString = actionName.endsWith('STR_SCENE');
    let sceneId: number | undefined;
    let sceneStr: string | undefined;
    if (byString) {
      if (!nonEmpty(scene.scene_str) || scene.scene_str.length > 64) return mpError(40053, 'invalid action info');
      sceneStr = scene.scene_str;
    } else {
      const id = scene.scene_id;
      const max = limited ? 100_000 : 4_294_967_295;
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > max) return mpError(40053, 'invalid action info');
      sceneId = id;
    }
    const ticket = `gQ${randomBytes(48).toString('base64url')}`;
    const url = `http://weixin.qq.com/q/02${randomBytes(16).toString('base64url')}`;
    const createdAt = now();
    let expireSeconds: number | undefined;
    if (!limited) {
      const asked =
        typeof body.expire_seconds === 'number' && body.expire_seconds > 0 ? Math.floor(body.expire_seconds) : QR_TEMP_DEFAULT_S;
      expireSeconds = Math.min(asked, QR_TEMP_MAX_S);
    }
    store.state.qrcodes.push({
      ticket,
      actionName,
      sceneId,
      sceneStr,
      url,
      createdAt,
      expiresAt: expireSeconds === undefined ? undefined : createdAt + expireSeconds * 1000,
    });
    store.save();
    return expireSeconds === undefined ? { ticket, url } : { ticket, expire_seconds: expireSeconds, url };
  });

  // Production serves this from mp.weixin.qq.com; here it sits beside the API.
  serve('GET', 'showqrcode', async ({ url, res }) => {
    const ticket = url.searchParams.get('ticket') ?? '';
    const code = store.state.qrcodes.find((q) => q.ticket === ticket);
    if (!code || (code.expiresAt !== undefined && code.expiresAt <= now())) {
      sendJson(res, 404, mpError(40001, 'invalid ticket'));
      return undefined;
    }
    const png = await QRCode.toBuffer(code.url, { type: 'png', margin: 2, width: 430 });
    sendBuffer(res, 200, png, 'image/png');
    return undefined;
  });

  // --- statistics (datacube) -----------------------------------------------------------------
  for (const [api, handler] of Object.entries(datacubeApis(ctx, store, mpError))) post(api, handler);

  // --- temporary media ------------------------------------------------------------------------
  serve('POST', 'media/upload', async ({ req, url }) => {
    const type = url.searchParams.get('type') ?? '';
    let answer: Answer | undefined = checkToken(url);
    let size = 0;
    if (!answer) {
      if (!['image', 'voice', 'video', 'thumb'].includes(type)) answer = mpError(40004, 'invalid media type');
      else {
        const parsed = parseAdminRequest(req, await readBody(req));
        const media = parsed.files?.media;
        if (!media || media.length === 0) answer = mpError(41005, 'media data missing');
        else {
          size = media.length;
          const mediaId = randomBytes(32).toString('base64url');
          const createdAt = Math.floor(now() / 1000);
          store.state.media.push({ mediaId, type, size, createdAt });
          store.save();
          answer = { type, [type === 'thumb' ? 'thumb_media_id' : 'media_id']: mediaId, created_at: createdAt };
        }
      }
    }
    record('media/upload', { type, size }, answer);
    return answer;
  });
}

const BUTTON_TYPES = new Set([
  'click',
  'view',
  'miniprogram',
  'scancode_push',
  'scancode_waitmsg',
  'pic_sysphoto',
  'pic_photo_or_album',
  'pic_weixin',
  'location_select',
  'media_id',
  'view_limited',
  'article_id',
  'article_view_limited',
]);
const KEYED = new Set([
  'click',
  'scancode_push',
  'scancode_waitmsg',
  'pic_sysphoto',
  'pic_photo_or_album',
  'pic_weixin',
  'location_select',
]);

/**
 * menu/create's checks with WeChat's codes: top-level and sub-menu variants differ
 * (40016/40023 counts, 40017/40024 types, 40018/40025 names, 40019/40026 keys, 40020/40027 urls).
 */
export function checkMenu(body: Record<string, any>, miniAppid: string): Answer | undefined {
  const buttons = body.button;
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) return mpError(40016, 'invalid button size');
  for (const button of buttons) {
    if (!button || typeof button !== 'object') return mpError(40017, 'invalid button type');
    if (!nonEmpty(button.name) || bytes(button.name) > 16) return mpError(40018, 'invalid button name size');
    const subs = button.sub_button;
    if (Array.isArray(subs) && subs.length > 0) {
      if (subs.length > 5) return mpError(40023, 'invalid sub button size');
      for (const sub of subs) {
        if (!sub || typeof sub !== 'object') return mpError(40024, 'invalid sub button type');
        if (!nonEmpty(sub.name) || bytes(sub.name) > 60) return mpError(40025, 'invalid sub button name size');
        const problem = checkAction(sub, true, miniAppid);
        if (problem) return problem;
      }
    } else {
      const problem = checkAction(button, false, miniAppid);
      if (problem) return problem;
    }
  }
  return undefined;
}

function checkAction(button: Record<string, any>, sub: boolean, miniAppid: string): Answer | undefined {
  const codes = sub
    ? {
        type: [40024, 'invalid sub button type'],
        key: [40026, 'invalid sub button key size'],
        url: [40027, 'invalid sub button url size'],
        domain: [40054, 'invalid sub button url domain'],
      }
    : {
        type: [40017, 'invalid button type'],
        key: [40019, 'invalid button key size'],
        url: [40020, 'invalid button url size'],
        domain: [40055, 'invalid button url domain'],
      };
  const fail = ([code, text]: (string | number)[]) => mpError(code as number, text as string);
  if (!BUTTON_TYPES.has(button.type)) return fail(codes.type);
  if (KEYED.has(button.type) && (!nonEmpty(button.key) || bytes(button.key) > 128)) return fail(codes.key);
  if (button.type === 'view' || button.type === 'miniprogram') {
    // A miniprogram button needs `url` too: old clients open it instead of the mini-program.
    if (!nonEmpty(button.url) || bytes(button.url) > 1024) return fail(codes.url);
    if (!/^https?:\/\//i.test(button.url)) return fail(codes.domain);
  }
  if (button.type === 'miniprogram') {
    if (!nonEmpty(button.appid)) return mpError(40166, 'invalid weapp appid');
    if (button.appid !== miniAppid) return mpError(85005, 'appid not bind weapp');
    if (!nonEmpty(button.pagepath)) return mpError(40165, 'invalid weapp pagepath');
  }
  if ((button.type === 'media_id' || button.type === 'view_limited') && !nonEmpty(button.media_id))
    return mpError(40007, 'invalid media_id');
  if ((button.type === 'article_id' || button.type === 'article_view_limited') && !nonEmpty(button.article_id)) {
    return mpError(40007, 'invalid media_id');
  }
  return undefined;
}
