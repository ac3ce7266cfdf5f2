import { randomBytes, randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { GatewayCall, MpStateAnswer, PushAnswer, VerifyAnswer } from '../client';
import type { EmulatorContext, EmulatorModule, MpEncryptMode, Persona } from '../context';
import { HttpError, readJson, route } from '../http';
import { registerMpApi } from './api';
import { decryptMessage, ENCRYPT_MODES, encryptMessage, msgSignature } from './crypto';
import { registerArticleControl, sourceOfScene } from './datacube';
import { registerFollowerControl } from './followers';
import {
  buildEncryptedPushXml,
  buildPushXml,
  gatewayResponse,
  type GatewayResponse,
  ghIdFor,
  integrationEvent,
  PUSH_TYPES,
  type PushType,
  randomMsgId,
  randomNonce,
  signatureOf,
  tamperSignature,
} from './push';
import { MpStore } from './store';

/**
 * The 公众号 side of the local cloud: the API fake under `/mp/cgi-bin/...` (see api.ts) and the
 * control plane that plays WeChat's servers pushing signed XML to the HTTP-triggered gateway.
 */

const DEFAULT_GATEWAY = 'mpGateway';
/** WeChat waits this long for the gateway's answer before it gives up and retries. */
const PUSH_DEADLINE_MS = 5000;
/** How old a `tamper: "stale"` timestamp is. */
const STALE_BY_S = 600;
const MAX_DELIVERIES = 4;
const TAMPERS = ['signature', 'stale', 'msg_signature'] as const;
type Tamper = (typeof TAMPERS)[number];

interface PushBody {
  persona?: string;
  type?: string;
  eventKey?: string;
  content?: string;
  function?: string;
  createTime?: number;
  msgId?: string;
  nonce?: string;
  timestamp?: number;
  tamper?: Tamper;
  deliveries?: number;
  mode?: string;
}

type Encryption = { mode: 'plain' } | { mode: 'compat' | 'safe'; aesKey: string };

/** What WeChat holds to judge a reply to a push. */
interface ReplyCheck {
  mode: MpEncryptMode;
  token: string;
  appid: string;
  aesKey?: string;
}

export const mpModule: EmulatorModule = {
  name: 'mp',
  setup(ctx) {
    const store = new MpStore(ctx.state);
    ctx.onReset(() => store.reset());
    registerMpApi(ctx, store);
    registerFollowerControl(ctx, store);
    registerArticleControl(ctx, store);
    const ghId = ghIdFor(ctx.options.mp.appid);
    const parser = new XMLParser({ parseTagValue: false, trimValues: true });

    ctx.route(
      route(
        'GET',
        '/_emu/mp',
        (): MpStateAnswer => ({
          appid: ctx.options.mp.appid,
          ghId,
          apiBase: `${ctx.baseUrl}/mp`,
          followers: ctx.personas
            .list()
            .filter((p) => p.follows)
            .map((p) => p.mpOpenid),
          tokens: store.state.tokens.map((t) => ({
            issuedAt: new Date(t.issuedAt).toISOString(),
            expiresAt: new Date(t.expiresAt).toISOString(),
            superseded: t.supersededAt !== undefined,
          })),
          menu: store.state.menu ?? null,
          qrcodes: store.state.qrcodes,
          interactions: Object.fromEntries(Object.entries(store.state.interactions).map(([k, v]) => [k, new Date(v).toISOString()])),
        }),
      ),
    );

    ctx.route(
      route('POST', '/_emu/mp/push', async ({ req }): Promise<PushAnswer> => {
        const body = await readJson<PushBody>(req);
        const persona = body.persona ? ctx.personas.get(body.persona) : undefined;
        if (!persona)
          throw new HttpError(
            400,
            `"persona" must name a persona (${ctx.personas
              .list()
              .map((p) => p.name)
              .join(', ')})`,
          );
        const type = body.type as PushType;
        if (!PUSH_TYPES.includes(type)) throw new HttpError(400, `"type" must be one of ${PUSH_TYPES.join(', ')}`);
        if (type === 'CLICK' && !body.eventKey) throw new HttpError(400, 'a CLICK push needs "eventKey" (the menu button key)');
        if (type === 'SCAN' && !body.eventKey) throw new HttpError(400, 'a SCAN push needs "eventKey" (the QR scene)');
        if (type === 'text' && typeof body.content !== 'string') throw new HttpError(400, 'a text push needs "content"');
        checkOptionalNumber(body.createTime, 'createTime');
        checkOptionalNumber(body.timestamp, 'timestamp');
        const deliveries = deliveriesOf(body.deliveries);
        const encryption = encryptionOf(ctx, body.mode);
        checkTamper(body.tamper, encryption.mode);
        const functionName = gatewayName(ctx, body.function);
        checkFollowState(persona, type);

        const nowMs = ctx.clock.nowMs();
        const nowS = Math.floor(nowMs / 1000);
        // WeChat's side happens whatever the gateway answers: the user has (un)followed, scanned, written.
        applyFollowState(ctx, store, persona, type, body.eventKey, nowS);
        if (type !== 'unsubscribe') store.state.interactions[persona.mpOpenid] = nowMs;
        store.save();

        const ticket = type === 'subscribe' || type === 'SCAN' ? ticketFor(store, body.eventKey) : undefined;
        const xml = buildPushXml({
          toUserName: ghId,
          fromUserName: persona.mpOpenid,
          createTime: body.createTime ?? nowS,
          type,
          eventKey: body.eventKey,
          ticket,
          content: body.content,
          msgId: type === 'text' ? (body.msgId ?? randomMsgId()) : undefined,
        });
        const { appid, token } = ctx.options.mp;
        const timestamp = String(body.timestamp ?? (body.tamper === 'stale' ? nowS - STALE_BY_S : nowS));
        const nonce = body.nonce ?? randomNonce();
        let signature = signatureOf(token, timestamp, nonce);
        if (body.tamper === 'signature') signature = tamperSignature(signature);
        const query: Record<string, string> = { signature, timestamp, nonce, openid: persona.mpOpenid };
        let sent = xml;
        if (encryption.mode !== 'plain') {
          // Every delivery repeats the same ciphertext: WeChat retries the request it made, not a new one.
          const encrypt = encryptMessage(encryption.aesKey, appid, xml);
          sent = buildEncryptedPushXml(encryption.mode, xml, ghId, encrypt);
          let signed = msgSignature(token, timestamp, nonce, encrypt);
          if (body.tamper === 'msg_signature') signed = tamperSignature(signed);
          query.encrypt_type = 'aes';
          query.msg_signature = signed;
        }
        const check: ReplyCheck = { mode: encryption.mode, token, appid, aesKey: ctx.options.mp.aesKey };

        const results = [];
        for (let i = 0; i < deliveries; i += 1) {
          const event = integrationEvent({
            functionName,
            method: 'POST',
            query,
            body: sent,
            envId: ctx.options.envId,
            requestId: randomUUID(),
          });
          results.push(await callGateway(ctx, functionName, event, parser, check));
        }
        return { xml, mode: encryption.mode, body: sent, query: query as PushAnswer['query'], ...results[0], deliveries: results };
      }),
    );

    ctx.route(
      route('POST', '/_emu/mp/verify', async ({ req }): Promise<VerifyAnswer> => {
        const body = await readJson<{ function?: string; tamper?: 'signature' | 'stale'; echostr?: string }>(req);
        const functionName = gatewayName(ctx, body.function);
        const nowS = Math.floor(ctx.clock.nowMs() / 1000);
        const timestamp = String(body.tamper === 'stale' ? nowS - STALE_BY_S : nowS);
        const nonce = randomNonce();
        let signature = signatureOf(ctx.options.mp.token, timestamp, nonce);
        if (body.tamper === 'signature') signature = tamperSignature(signature);
        const echostr = body.echostr ?? String(BigInt(`0x${randomBytes(8).toString('hex')}`));
        const query = { signature, echostr, timestamp, nonce };
        const event = integrationEvent({ functionName, method: 'GET', query, envId: ctx.options.envId, requestId: randomUUID() });
        const result = await callGateway(ctx, functionName, event, parser);
        return { query, ...result, echoed: result.response.statusCode === 200 && result.response.body === echostr };
      }),
    );
  },
};

function checkOptionalNumber(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) {
    throw new HttpError(400, `"${name}" must be a whole number of seconds`);
  }
}

function deliveriesOf(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_DELIVERIES) {
    throw new HttpError(400, `"deliveries" must be 1 to ${MAX_DELIVERIES} (WeChat tries once and retries three times)`);
  }
  return value;
}

/** The push's mode: its own `mode`, else the configured one; compat and safe need the key. */
function encryptionOf(ctx: EmulatorContext, value: unknown): Encryption {
  const mode = value === undefined ? (ctx.options.mp.mode ?? 'plain') : value;
  if (!ENCRYPT_MODES.includes(mode as MpEncryptMode)) throw new HttpError(400, `"mode" must be one of ${ENCRYPT_MODES.join(', ')}`);
  if (mode === 'plain') return { mode };
  const aesKey = ctx.options.mp.aesKey;
  if (aesKey === undefined) {
    throw new HttpError(
      400,
      `"mode": "${mode}" needs the 公众号's EncodingAESKey: start the local cloud with mp.aesKey (DUET_MP_AES_KEY, 43 characters of A-Z, a-z, 0-9)`,
    );
  }
  return { mode: mode as 'compat' | 'safe', aesKey };
}

function checkTamper(value: unknown, mode: MpEncryptMode): void {
  if (value === undefined) return;
  if (!TAMPERS.includes(value as Tamper)) throw new HttpError(400, `"tamper" must be one of ${TAMPERS.join(', ')}`);
  if (value === 'msg_signature' && mode === 'plain') {
    throw new HttpError(400, 'a plain push has no msg_signature to tamper with: push with "mode": "compat" or "safe"');
  }
}

function gatewayName(ctx: EmulatorContext, name: unknown): string {
  const functionName = typeof name === 'string' && name ? name : DEFAULT_GATEWAY;
  if (!ctx.functions.config(functionName)) throw new HttpError(404, `no function ${functionName} to push to`);
  return functionName;
}

/** Refuses pushes WeChat could not send: a follower cannot follow again, a stranger cannot click a menu. */
function checkFollowState(persona: Persona, type: PushType): void {
  if (type === 'subscribe' && persona.follows) throw new HttpError(409, `${persona.name} already follows; push unsubscribe first, or SCAN`);
  if (type !== 'subscribe' && !persona.follows) {
    throw new HttpError(
      409,
      `${persona.name} does not follow the 公众号: only "subscribe" can come from them (a scan by a non-follower arrives as subscribe)`,
    );
  }
}

function applyFollowState(
  ctx: EmulatorContext,
  store: MpStore,
  persona: Persona,
  type: PushType,
  eventKey: string | undefined,
  nowS: number,
): void {
  // The datacube user statistics count these (a follow by QR code is user_source 30, otherwise by
  // search, 1, as user/info's subscribe_scene says); an unfollow counts under the follow it ends.
  if (type === 'subscribe') {
    ctx.personas.upsert({ name: persona.name, follows: true });
    const scene = eventKey ? 'ADD_SCENE_QR_CODE' : 'ADD_SCENE_SEARCH';
    store.recordFollow({ time: nowS, openid: persona.mpOpenid, type, source: sourceOfScene(scene) });
    const sceneId = eventKey && /^\d+$/.test(eventKey) ? Number(eventKey) : undefined;
    store.state.subscribers[persona.mpOpenid] = {
      subscribeTime: nowS,
      scene,
      qrScene: sceneId,
      qrSceneStr: eventKey && sceneId === undefined ? eventKey : undefined,
    };
  } else if (type === 'unsubscribe') {
    ctx.personas.upsert({ name: persona.name, follows: false });
    const source = sourceOfScene(store.state.subscribers[persona.mpOpenid]?.scene);
    store.recordFollow({ time: nowS, openid: persona.mpOpenid, type, source });
    delete store.state.subscribers[persona.mpOpenid];
  }
}

/** The ticket of the QR code with this scene, if one was created; otherwise a made-up one. */
function ticketFor(store: MpStore, eventKey: string | undefined): string | undefined {
  if (!eventKey) return undefined;
  const code = [...store.state.qrcodes].reverse().find((q) => q.sceneStr === eventKey || String(q.sceneId) === eventKey);
  return code?.ticket ?? `gQ${randomBytes(48).toString('base64url')}`;
}

async function callGateway(
  ctx: EmulatorContext,
  functionName: string,
  event: unknown,
  parser: XMLParser,
  check?: ReplyCheck,
): Promise<GatewayCall> {
  const started = performance.now();
  let response: GatewayResponse & { error?: { errCode: number; errMsg: string } };
  try {
    const outcome = await ctx.functions.invoke(functionName, event, { http: true });
    if ('error' in outcome) {
      // The HTTP access service answers a failed function with a 5xx; WeChat sees no reply.
      response = { statusCode: outcome.error.errCode === -504003 ? 504 : 502, headers: {}, body: '', error: outcome.error };
    } else response = gatewayResponse(outcome.result);
  } catch (error) {
    response = { statusCode: 502, headers: {}, body: '', error: { errCode: -1, errMsg: String((error as Error)?.message ?? error) } };
  }
  const elapsedMs = Math.round(performance.now() - started);
  return { response, ...readReply(response.body, parser, check), elapsedMs, withinDeadline: elapsedMs <= PUSH_DEADLINE_MS };
}

function parseXml(parser: XMLParser, text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('<xml')) return undefined;
  try {
    const fields = parser.parse(text).xml;
    return fields && typeof fields === 'object' ? fields : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The passive reply as the user would get it. Without a check (the GET check) any XML is read as
 * it is; for a push, a reply WeChat would drop has no `reply`, only the reason.
 */
function readReply(body: string, parser: XMLParser, check: ReplyCheck | undefined): Pick<GatewayCall, 'reply' | 'replyEncryption'> {
  const fields = parseXml(parser, body);
  if (!fields) return {};
  if (!check) return { reply: fields };
  if (!('Encrypt' in fields)) {
    if (check.mode === 'plain') return { reply: fields };
    if (check.mode === 'compat') return { reply: fields, replyEncryption: { encrypted: false } };
    return {
      replyEncryption: {
        encrypted: false,
        error:
          'a plaintext XML reply to a safe-mode push: WeChat takes only an encrypted reply there (or "success" / an empty body for none)',
      },
    };
  }
  const opened = openEncryptedReply(fields, check);
  if ('error' in opened) return { replyEncryption: { encrypted: true, error: opened.error } };
  const reply = parseXml(parser, opened.xml);
  if (!reply) return { replyEncryption: { encrypted: true, error: 'the decrypted reply is not <xml>...</xml>' } };
  return { reply, replyEncryption: { encrypted: true, xml: opened.xml } };
}

/** WeChat's order: the signature first, then the decryption, then whose message it is. */
function openEncryptedReply(fields: Record<string, unknown>, check: ReplyCheck): { xml: string } | { error: string } {
  if (check.mode === 'plain' || check.aesKey === undefined) {
    return { error: 'an encrypted reply to a plain-mode push: WeChat expects a plaintext reply there' };
  }
  const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '');
  const missing = ['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce'].filter((name) => text(name) === '');
  if (missing.length > 0) return { error: `the encrypted reply lacks ${missing.map((name) => `<${name}>`).join(', ')}` };
  if (msgSignature(check.token, text('TimeStamp'), text('Nonce'), text('Encrypt')) !== text('MsgSignature')) {
    return { error: 'MsgSignature does not match sha1 of the sorted token, TimeStamp, Nonce and Encrypt' };
  }
  let opened: { xml: string; appid: string };
  try {
    opened = decryptMessage(check.aesKey, text('Encrypt'));
  } catch (error) {
    return { error: `Encrypt does not decrypt with the EncodingAESKey: ${(error as Error).message}` };
  }
  if (opened.appid !== check.appid) return { error: `the appid inside the reply is "${opened.appid}", not the 公众号's "${check.appid}"` };
  return { xml: opened.xml };
}
