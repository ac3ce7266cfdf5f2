import type { StateStore } from '../context';

/** What the fake 公众号 remembers between requests (and restarts). */
export interface MpState {
  tokens: Array<{ token: string; issuedAt: number; expiresAt: number; supersededAt?: number }>;
  /** Follow details per 公众号 openid (the follow flag itself lives on the persona). */
  subscribers: Record<string, { subscribeTime: number; scene: string; qrScene?: number; qrSceneStr?: string }>;
  /** Last time (ms) each user pushed something: opens the customer-service window. */
  interactions: Record<string, number>;
  qrcodes: Array<{
    ticket: string;
    actionName: string;
    sceneId?: number;
    sceneStr?: string;
    url: string;
    createdAt: number;
    expiresAt?: number;
  }>;
  menu?: { button: unknown[] };
  media: Array<{ mediaId: string; type: string; size: number; createdAt: number }>;
  /**
   * Followers that are no persona (`POST /_emu/mp/followers`), numbered from 1 in the order added.
   * Kept as ranges: 25,000 followers are one entry, so the state saved on every token or push stays small.
   */
  syntheticFollowers: SyntheticRange[];
}

export interface SyntheticRange {
  /** Number of the range's first follower. */
  from: number;
  count: number;
  /** Every other follower of the range (the 1st, 3rd, ...) has a unionid. */
  unionids: boolean;
  /** Seconds, emulator clock: when the range was added. */
  subscribeTime: number;
}

const KEY = 'mp';

export function emptyMpState(): MpState {
  return { tokens: [], subscribers: {}, interactions: {}, qrcodes: [], media: [], syntheticFollowers: [] };
}

export class MpStore {
  state: MpState;

  constructor(private readonly store: StateStore) {
    this.state = { ...emptyMpState(), ...(store.get<MpState>(KEY) ?? {}) };
  }

  save(): void {
    this.store.set(KEY, this.state);
  }

  reset(): void {
    this.state = emptyMpState();
    this.save();
  }
}
