/**
 * What a 公众号 push means, as pure rules: the classified push, its dedupe key, and the scene a
 * parametric QR code carries (`qrscene_` only on subscribe).
 */

/** Bodies above this are refused before parsing (WeChat's pushes are a few hundred bytes). */
export const MAX_PUSH_BYTES = 64 * 1024;

/**
 * WeChat's own bounds (PLATFORM.md): an openid is 28 characters, a QR scene at most 64, a menu
 * key at most 128 bytes. A push beyond them was not sent by WeChat; it is refused before any
 * work (and before any of it lands in a document id or a log line).
 */
export const PUSH_LIMITS = { fromUserNameBytes: 64, eventKeyBytes: 64, menuKeyBytes: 128 } as const;

/** Prefix WeChat puts before a parametric QR code's value when the scan makes a new follower. */
export const QRSCENE_PREFIX = 'qrscene_';

interface PushBase {
  /** The 公众号's original id (gh_...): the sender of a passive reply. */
  toUserName: string;
  /** The user's 公众号 openid. */
  fromUserName: string;
  /** Seconds, as WeChat sends it (a string keeps it exact). */
  createTime: string;
}

export type MpPush =
  | (PushBase & { kind: 'subscribe'; eventKey: string; ticket?: string })
  | (PushBase & { kind: 'unsubscribe' })
  | (PushBase & { kind: 'scan'; eventKey: string; ticket?: string })
  | (PushBase & { kind: 'click'; eventKey: string })
  | (PushBase & { kind: 'text'; content: string; msgId: string })
  /** Anything else (other events, images, voice, ...): answered `success`, nothing done. */
  | (PushBase & { kind: 'other'; msgType: string; event?: string; msgId?: string });

export type PushReading = { ok: true; push: MpPush } | { ok: false; reason: string };

/** Flat `<xml>` fields (strings) → a classified push. */
export function readPush(fields: Record<string, unknown>): PushReading {
  const text = (name: string): string | undefined => {
    const value = fields[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    return undefined;
  };
  const toUserName = text('ToUserName');
  const fromUserName = text('FromUserName');
  const createTime = text('CreateTime');
  const msgType = text('MsgType');
  if (!toUserName || !fromUserName || !createTime || !msgType) {
    return { ok: false, reason: 'push lacks ToUserName, FromUserName, CreateTime or MsgType' };
  }
  if (!/^\d{1,12}$/.test(createTime)) return { ok: false, reason: 'CreateTime is not a number of seconds' };
  if (utf8Bytes(fromUserName) > PUSH_LIMITS.fromUserNameBytes) {
    return { ok: false, reason: `FromUserName is over ${PUSH_LIMITS.fromUserNameBytes} bytes` };
  }
  const base: PushBase = { toUserName, fromUserName, createTime };
  const eventKey = text('EventKey') ?? '';
  const ticket = text('Ticket') || undefined;
  if (msgType === 'event') {
    const event = text('Event') ?? '';
    // WeChat documents upper-case SCAN/CLICK and lower-case subscribe; compare without case.
    const kind = event.toLowerCase();
    // A QR value is at most 64 bytes (plus `qrscene_` on subscribe); a menu key at most 128.
    const keyLimit =
      kind === 'click' ? PUSH_LIMITS.menuKeyBytes : PUSH_LIMITS.eventKeyBytes + (kind === 'subscribe' ? QRSCENE_PREFIX.length : 0);
    if (utf8Bytes(eventKey) > keyLimit) return { ok: false, reason: `EventKey is over ${keyLimit} bytes` };
    switch (kind) {
      case 'subscribe':
        return { ok: true, push: { ...base, kind: 'subscribe', eventKey, ticket } };
      case 'unsubscribe':
        return { ok: true, push: { ...base, kind: 'unsubscribe' } };
      case 'scan':
        return { ok: true, push: { ...base, kind: 'scan', eventKey, ticket } };
      case 'click':
        return { ok: true, push: { ...base, kind: 'click', eventKey } };
      default:
        return { ok: true, push: { ...base, kind: 'other', msgType, event } };
    }
  }
  const msgId = text('MsgId') || undefined;
  if (msgType === 'text') {
    if (!msgId) return { ok: false, reason: 'text message without MsgId' };
    return { ok: true, push: { ...base, kind: 'text', content: text('Content') ?? '', msgId } };
  }
  return { ok: true, push: { ...base, kind: 'other', msgType, msgId } };
}

/**
 * The key WeChat's retries share: `MsgId` for messages, sender + CreateTime + event for events
 * (PLATFORM.md). Used as the `_id` of `mp_pushes_seen`, so only characters an `_id` takes.
 */
export function dedupeKeyOf(push: MpPush): string {
  if (push.kind === 'text') return `msg:${push.msgId}`;
  if (push.kind === 'other' && push.msgId) return `msg:${push.msgId}`;
  const event = push.kind === 'other' ? (push.event ?? push.msgType) : push.kind;
  return `evt:${push.fromUserName}:${push.createTime}:${event}`;
}

/**
 * The scene value of a parametric QR code. Only `subscribe` carries the `qrscene_` prefix (a new
 * follower scanned); `SCAN` (a follower scanned) carries the raw value, which is used as is even
 * when it happens to start with `qrscene_`. Null when there is no scene (a plain follow).
 */
export function sceneKeyOf(push: MpPush): string | null {
  if (push.kind === 'subscribe') {
    if (!push.eventKey.startsWith(QRSCENE_PREFIX)) return null;
    return push.eventKey.slice(QRSCENE_PREFIX.length) || null;
  }
  if (push.kind === 'scan') return push.eventKey || null;
  return null;
}

/**
 * Entity tricks (billion laughs, external entities) need a DOCTYPE; WeChat never sends one, so a
 * body that declares one is refused before any parser sees it.
 */
export function hasDoctypeOrEntity(body: string): boolean {
  return /<!\s*(DOCTYPE|ENTITY)/i.test(body);
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}
