import { type IdentityDoc, identityKey, type MemberDoc, newMemberDoc, unionidKey } from '../../core/member/member';
import { assert, DuetError } from '../../core/errors';
import type { Caller } from '../handler';
import { newId } from '../ids';
import { mergeMembers } from './merge-members';
import { claimIdentity, finalMemberId, findIdentity, findMember, insertMember, updateMember } from './repository';

export { finalMemberId };

export interface PersonKey {
  /** The app the openid belongs to: the mini-program's or the 公众号's appid. */
  appid: string;
  openid: string;
  unionid?: string | null;
}

/**
 * The one member of a person, found or created from an app identity and, when known, the
 * unionid. Safe under any concurrency and order of logins, follows and payments:
 * - with a unionid, the unionid identity is claimed first, so every app identity of the
 *   person meets on the member that claim names;
 * - an app identity that already points elsewhere (its member was created before the unionid
 *   was known) is merged into that member ("healing");
 * - member documents are created with inserts that tolerate "already exists".
 */
export async function resolveMember(person: PersonKey, now: Date): Promise<MemberDoc> {
  const appKey = identityKey(person.appid, person.openid);
  // The common case, in two reads: a known identity whose member is current and agrees on the unionid.
  const known = await findIdentity(appKey);
  if (known) {
    const member = await findMember(known.memberId);
    if (member && !member.mergedInto && (!person.unionid || member.unionid === person.unionid)) return member;
  }
  return resolveSlowly(person, appKey, known, now);
}

async function resolveSlowly(person: PersonKey, appKey: string, known: IdentityDoc | null, now: Date): Promise<MemberDoc> {
  if (person.unionid) {
    // An app identity known from before keeps its member when the unionid is still unclaimed.
    const knownApp = known;
    const candidate = knownApp ? await finalMemberId(knownApp.memberId) : newId();
    const unionIdentity = await claimIdentity({
      _id: unionidKey(person.unionid),
      memberId: candidate,
      kind: 'unionid',
      unionid: person.unionid,
      createdAt: now,
    });
    const target = unionIdentity.memberId;
    const appIdentity =
      knownApp ??
      (await claimIdentity({ _id: appKey, memberId: target, kind: 'app', appid: person.appid, openid: person.openid, createdAt: now }));
    await ensureMember(target, person, now);
    const current = await finalMemberId(appIdentity.memberId);
    const canonical = await finalMemberId(target);
    if (current !== canonical) await mergeMembers(current, canonical, now);
    const member = await findMember(canonical);
    if (!member) throw new DuetError('INTERNAL', `member ${canonical} missing after resolve`);
    if (member.unionid !== person.unionid) {
      await updateMember(canonical, { unionid: person.unionid, updatedAt: now });
      member.unionid = person.unionid;
    }
    return member;
  }
  const appIdentity = await claimIdentity({
    _id: appKey,
    memberId: newId(),
    kind: 'app',
    appid: person.appid,
    openid: person.openid,
    createdAt: now,
  });
  await ensureMember(appIdentity.memberId, person, now);
  const member = await findMember(await finalMemberId(appIdentity.memberId));
  if (!member) throw new DuetError('INTERNAL', `member of identity ${appKey} missing`);
  return member;
}

/** Creates the member document an identity points to, unless it exists (a concurrent resolve may have made it). */
async function ensureMember(memberId: string, person: PersonKey, now: Date): Promise<void> {
  if (await findMember(memberId)) return;
  await insertMember(newMemberDoc(memberId, person.unionid ?? null, now));
}

/** A member by id, following merges; null when unknown. */
export async function findCurrentMember(memberId: string): Promise<MemberDoc | null> {
  return findMember(await finalMemberId(memberId));
}

/** The calling WeChat user's member (identity from `getWXContext()` only, through the handler's Caller). */
export async function memberOfCaller(caller: Caller, now: Date): Promise<MemberDoc> {
  assert(caller.openid, 'UNAUTHENTICATED', 'this action needs a WeChat user (OPENID)');
  return resolveMember({ appid: caller.appid ?? 'mini', openid: caller.openid, unionid: caller.unionid }, now);
}
