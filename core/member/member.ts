import type { MemberView } from '../contracts/member';
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

/** A friendly default name until the member sets one: 微信用户 and the last four characters of the openid. */
export function defaultNickname(openid: string): string {
  return `微信用户${openid.slice(-4)}`;
}

export function newMemberDoc(memberId: string, openid: string, unionid: string | null, now: Date): MemberDoc {
  const doc: MemberDoc = {
    _id: memberId,
    nickname: defaultNickname(openid),
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
    nickname: doc.nickname,
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
