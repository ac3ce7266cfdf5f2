import type { MpFollowersAnswer } from '../client';
import type { EmulatorContext, Persona } from '../context';
import { HttpError, readJson, route } from '../http';
import type { MpStore } from './store';

/**
 * The 公众号's followers as `user/get` lists them: the personas that follow (in persona order), then
 * the synthetic followers `POST /_emu/mp/followers` added (in the order added). The order never
 * changes, so a page asked for again with the same `next_openid` starts at the same follower, and a
 * synthetic follower added later lands after everyone listed before.
 */

const SYNTHETIC = /^o-mp-f(\d{6,})$/;
const MAX_ADD = 100_000;
const MAX_SYNTHETIC = 1_000_000;

export function syntheticOpenid(n: number): string {
  return `o-mp-f${String(n).padStart(6, '0')}`;
}

function syntheticNumber(openid: string): number | undefined {
  const match = SYNTHETIC.exec(openid);
  const n = match ? Number(match[1]) : 0;
  return n >= 1 ? n : undefined;
}

export interface Follower {
  openid: string;
  unionid?: string;
  follows: boolean;
  /** Seconds; absent for a persona that followed from the start (no follow push, no time). */
  subscribeTime?: number;
  persona?: Persona;
}

export class FollowerList {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly store: MpStore,
  ) {}

  syntheticCount(): number {
    const last = this.store.state.syntheticFollowers.at(-1);
    return last ? last.from + last.count - 1 : 0;
  }

  /** The 公众号 openids of the personas that follow, in list order. */
  followingPersonas(): string[] {
    return this.ctx.personas
      .list()
      .filter((p) => p.follows)
      .map((p) => p.mpOpenid);
  }

  total(): number {
    return this.followingPersonas().length + this.syntheticCount();
  }

  /** A persona by its 公众号 openid, or a synthetic follower; undefined for an openid this 公众号 never had. */
  find(openid: string): Follower | undefined {
    const persona = this.ctx.personas.byMpOpenid(openid);
    if (persona) {
      const subscribeTime = this.store.state.subscribers[openid]?.subscribeTime;
      return { openid, follows: persona.follows, persona, ...(persona.unionid ? { unionid: persona.unionid } : {}), subscribeTime };
    }
    const n = syntheticNumber(openid);
    const range = n === undefined ? undefined : this.store.state.syntheticFollowers.find((r) => n >= r.from && n < r.from + r.count);
    if (n === undefined || !range) return undefined;
    const unionid = range.unionids && (n - range.from) % 2 === 0 ? `u-f${String(n).padStart(6, '0')}` : undefined;
    return { openid, follows: true, subscribeTime: range.subscribeTime, ...(unionid ? { unionid } : {}) };
  }

  /**
   * Up to `max` followers after `after` (from the start when empty). `after` may be anyone the
   * 公众号 knows, a follower or not any more; undefined when it never was one.
   */
  page(after: string, max: number): { total: number; openids: string[] } | undefined {
    const personas = this.ctx.personas.list();
    const synthetic = this.syntheticCount();
    let personaStart = 0;
    let syntheticStart = 1;
    if (after) {
      const index = personas.findIndex((p) => p.mpOpenid === after);
      const n = syntheticNumber(after);
      if (index >= 0) personaStart = index + 1;
      else if (n !== undefined && n <= synthetic) {
        personaStart = personas.length;
        syntheticStart = n + 1;
      } else return undefined;
    }
    const openids = personas
      .slice(personaStart)
      .filter((p) => p.follows)
      .map((p) => p.mpOpenid)
      .slice(0, max);
    for (let n = syntheticStart; n <= synthetic && openids.length < max; n += 1) openids.push(syntheticOpenid(n));
    return { total: personas.filter((p) => p.follows).length + synthetic, openids };
  }
}

/** `GET|POST /_emu/mp/followers`: how many follow, and followers beyond the personas for tests of scale. */
export function registerFollowerControl(ctx: EmulatorContext, store: MpStore): void {
  const followers = new FollowerList(ctx, store);
  const answer = (added?: MpFollowersAnswer['added']): MpFollowersAnswer => ({
    total: followers.total(),
    personas: followers.followingPersonas(),
    synthetic: followers.syntheticCount(),
    ...(added ? { added } : {}),
  });

  ctx.route(route('GET', '/_emu/mp/followers', () => answer()));
  ctx.route(
    route('POST', '/_emu/mp/followers', async ({ req }): Promise<MpFollowersAnswer> => {
      const body = await readJson<{ count?: unknown; unionids?: unknown }>(req);
      const count = body.count;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_ADD) {
        throw new HttpError(400, `"count" must be a whole number from 1 to ${MAX_ADD}`);
      }
      if (body.unionids !== undefined && typeof body.unionids !== 'boolean') throw new HttpError(400, '"unionids" must be true or false');
      const from = followers.syntheticCount() + 1;
      if (from - 1 + count > MAX_SYNTHETIC) throw new HttpError(400, `at most ${MAX_SYNTHETIC} synthetic followers`);
      const unionids = body.unionids === true;
      store.state.syntheticFollowers.push({ from, count, unionids, subscribeTime: Math.floor(ctx.clock.nowMs() / 1000) });
      store.save();
      return answer({
        count,
        first: syntheticOpenid(from),
        last: syntheticOpenid(from + count - 1),
        withUnionid: unionids ? Math.ceil(count / 2) : 0,
      });
    }),
  );
}
