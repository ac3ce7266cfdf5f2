import { platformCallerKind } from '../../core/admin/caller';
import type { FunctionContract } from '../../core/contract';
import { DuetError } from '../../core/errors';
import { identityKey, unionidKey } from '../../core/member/member';
import type { Caller, Implementation } from '../handler';
import { finalMemberId } from '../member/resolve-member';
import { findIdentity } from '../member/repository';
import { findAdmin } from '../member/admin-repository';

export type AdminCaller = { kind: 'console' | 'trigger'; source: string } | { kind: 'member'; memberId: string };

/**
 * Who may run admin jobs: the console, a timer, or a member on the `admins` list. The member is
 * looked up read-only (identity → member, following merges) rather than with resolveMember: a
 * refused caller must write nothing, not even a member document for a stranger.
 */
export async function authorizeAdmin(caller: Caller): Promise<AdminCaller> {
  if (!caller.openid) {
    const kind = platformCallerKind(caller.source);
    if (kind) return { kind, source: caller.source };
    throw new DuetError(
      'PERMISSION_DENIED',
      `admin jobs run from the console, a timer or an admin member; caller has no OPENID and SOURCE ${JSON.stringify(caller.source)}`,
    );
  }
  const memberIds = await candidateMembers(caller);
  for (const memberId of memberIds) {
    if (await findAdmin(memberId)) return { kind: 'member', memberId };
  }
  throw new DuetError('PERMISSION_DENIED', `caller ${caller.openid} (member ${memberIds[0] ?? 'none'}) is not on the admin list`);
}

/** The caller's member ids (as the identity names it, and where merges lead), most current first. */
async function candidateMembers(caller: Caller): Promise<string[]> {
  const keys = [
    caller.unionid ? unionidKey(caller.unionid) : null,
    caller.appid && caller.openid ? identityKey(caller.appid, caller.openid) : null,
  ];
  const ids: string[] = [];
  for (const key of keys) {
    if (!key) continue;
    const identity = await findIdentity(key);
    if (!identity) continue;
    const current = await finalMemberId(identity.memberId);
    for (const id of [current, identity.memberId]) if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Every action of the contract behind the same authorization: the one place it is decided. */
export function authorized<C extends FunctionContract>(impl: Implementation<C>): Implementation<C> {
  const guarded = {} as Record<
    string,
    (input: unknown, ctx: Parameters<Implementation<C>[keyof Implementation<C>]>[1]) => Promise<unknown>
  >;
  for (const [action, run] of Object.entries(impl) as Array<[string, (input: unknown, ctx: any) => Promise<unknown>]>) {
    guarded[action] = async (input, ctx) => {
      const admin = await authorizeAdmin(ctx.caller);
      ctx.operator = admin.kind === 'member' ? `member:${admin.memberId}` : `${admin.kind}:${admin.source}`;
      // An admin member reads the same English detail the console does.
      ctx.revealDetail = true;
      return run(input, ctx);
    };
  }
  return guarded as unknown as Implementation<C>;
}
