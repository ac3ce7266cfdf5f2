import type { MemberView } from '../contracts/member';

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
}

/** An identity: one openid in one app, pointing at its member. `_id` = `appid:openid`. */
export interface IdentityDoc {
  _id: string;
  memberId: string;
  appid: string;
  openid: string;
  createdAt: Date;
}

/** The `_id` of an identity. Unique by construction, so a duplicate insert is the database saying "already known". */
export function identityKey(appid: string, openid: string): string {
  return `${appid}:${openid}`;
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
  };
}
