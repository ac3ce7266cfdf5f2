import type { MpConfig } from './config';

/** What every push handler gets besides the push. */
export interface PushContext {
  config: MpConfig;
  /** The push's dedupe key (`mp_pushes_seen` `_id`). */
  key: string;
  now: Date;
  requestId: string;
}

/** A passive reply (XML) to send back, or nothing (the gateway answers `success`). */
export interface PushOutcome {
  reply?: string;
}
