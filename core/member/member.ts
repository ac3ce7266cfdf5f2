import type { MemberView } from '../contracts/member';
import type { PointLot } from '../points/account';
import type { CheckInState } from '../points/check-in';
import type { PointsDay } from '../points/rules';
import type { Touch } from './attribution';

/** A member document as stored in `members`. */
export interface MemberDoc {
  _id: string;
  unionid?: string;
  nickname: string;
  followsMp: boolean;
  points: number;
  createdAt: Date;
  updatedAt: Date;
  /** Set when this member was merged into another (the unionid arrived later). */
  mergedInto?: string;
  /** Where the member came from (see attribution.ts). */
  firstTouch?: Touch;
  lastTouch?: Touch;
  /** The 公众号 openid, once known (follow or menu click). */
  mpOpenid?: string;
  followedAt?: Date;
  unfollowedAt?: Date;
  /** The time of the 公众号 push that set `followsMp` (its CreateTime): a later push wins, an earlier one never. */
  mpFollowStateAt?: Date;
  /** When this member was merged away, and when the merge was last seen complete (see merge.ts). */
  mergedAt?: Date;
  mergeSettledAt?: Date;
  /** Set once another member was merged into this one: its coupon limits are counted, not assumed (coupon README). */
  hasAbsorbed?: boolean;
  /** When the new-member coupon pack was granted (once per member; a merge keeps the earlier). */
  newMemberPackAt?: Date;
  /** The Shanghai day of the last login whose funnel event is written (yyyy-mm-dd): later logins that day write nothing. */
  loginDay?: string;
  /** The first paid order (set by the orders feature): a member who paid is no longer "new" for coupons. */
  firstPaidAt?: Date;
  /** What is left of each earning, soonest expiry first (`points` is their sum; see core/points/account.ts). */
  pointLots?: PointLot[] | null;
  /** The last check-in (the points feature). */
  checkIn?: CheckInState | null;
  /** What the capped earning rules gave today (the points feature). */
  pointsDay?: PointsDay | null;
  /** The member's count of ledger entries: each posting bumps it in its transaction. */
  pointsSeq?: number;
  /** The soonest lot's expiry, and whether its `points.expiring` notice was written. */
  pointsNextExpiry?: Date | null;
  pointsNextNoticed?: boolean;
}

/**
 * An identity points at its member. `_id` is `appid:openid` for an app identity and
 * `unionid:<unionid>` for the person's Open Platform id: unique by construction, so a duplicate
 * insert is the database saying "already known", whatever the concurrency.
 */
export interface IdentityDoc {
  _id: string;
  memberId: string;
  kind: 'app' | 'unionid';
  appid?: string;
  openid?: string;
  unionid?: string;
  createdAt: Date;
}

export function identityKey(appid: string, openid: string): string {
  return `${appid}:${openid}`;
}

export function unionidKey(unionid: string): string {
  return `unionid:${unionid}`;
}

/**
 * The name until the member sets one: 微信用户, as WeChat itself shows a user without a profile.
 * Never a piece of the openid (微信用户lice reads like a bug, and an openid is not for display).
 */
export const DEFAULT_NICKNAME = '微信用户';

/** Names an earlier version made from the openid's last four characters; shown as the default now. */
const LEGACY_NICKNAME = /^微信用户[A-Za-z0-9_-]{1,4}$/;

export function displayNickname(nickname: string | undefined): string {
  return !nickname || LEGACY_NICKNAME.test(nickname) ? DEFAULT_NICKNAME : nickname;
}

/**
 * The member number a member sees (10 digits): derived from the member id, so it needs no counter
 * and never changes. A display number, not a key — lookups use the id.
 */
export function memberNumberOf(memberId: string): string {
  const hex = /^[0-9a-f]{12,}$/i.test(memberId) ? memberId.slice(0, 12) : hashHex(memberId);
  return (Number.parseInt(hex.slice(0, 12), 16) % 10_000_000_000).toString().padStart(10, '0');
}

/** A stable 48-bit hex digest for ids that are not hex (FNV-1a, twice, to fill 12 hex digits). */
function hashHex(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i += 1) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ text.charCodeAt(i), 0x811c9dc5) >>> 0;
  }
  return (a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0')).slice(0, 12);
}

export function newMemberDoc(memberId: string, unionid: string | null, now: Date): MemberDoc {
  const doc: MemberDoc = {
    _id: memberId,
    nickname: DEFAULT_NICKNAME,
    followsMp: false,
    points: 0,
    createdAt: now,
    updatedAt: now,
  };
  if (unionid) doc.unionid = unionid;
  return doc;
}

export function toMemberView(doc: MemberDoc): MemberView {
  return {
    _id: doc._id,
    unionid: doc.unionid ?? null,
    nickname: displayNickname(doc.nickname),
    memberNo: memberNumberOf(doc._id),
    followsMp: Boolean(doc.followsMp),
    points: Number(doc.points ?? 0),
    createdAt: new Date(doc.createdAt).toISOString(),
    firstTouch: doc.firstTouch
      ? {
          scene: doc.firstTouch.scene ?? null,
          article: doc.firstTouch.article ?? null,
          campaign: doc.firstTouch.campaign ?? null,
          channel: doc.firstTouch.channel,
          sharer: doc.firstTouch.sharer ?? null,
          at: new Date(doc.firstTouch.at).toISOString(),
        }
      : null,
  };
}
