import { describe, expect, it } from 'vitest';
import { PUSH_LIMITS, readPush } from './push';

const base = { ToUserName: 'gh_1', FromUserName: 'o-mp-alice', CreateTime: '1700000000', MsgType: 'event' };

describe('push limits', () => {
  it('refuses a FromUserName over 64 bytes and takes one at 64', () => {
    expect(readPush({ ...base, FromUserName: 'o'.repeat(64), Event: 'CLICK', EventKey: 'K' }).ok).toBe(true);
    expect(readPush({ ...base, FromUserName: 'o'.repeat(65), Event: 'CLICK', EventKey: 'K' })).toEqual({
      ok: false,
      reason: 'FromUserName is over 64 bytes',
    });
  });

  it('refuses a menu key over 128 bytes (counted in UTF-8) and takes one at 128', () => {
    expect(readPush({ ...base, Event: 'CLICK', EventKey: 'k'.repeat(PUSH_LIMITS.menuKeyBytes) }).ok).toBe(true);
    expect(readPush({ ...base, Event: 'CLICK', EventKey: `${'k'.repeat(126)}菜` }).ok).toBe(false);
  });

  it('refuses a SCAN value over 64 bytes and a subscribe value over qrscene_ + 64', () => {
    expect(readPush({ ...base, Event: 'SCAN', EventKey: 's'.repeat(64) }).ok).toBe(true);
    expect(readPush({ ...base, Event: 'SCAN', EventKey: 's'.repeat(65) })).toEqual({ ok: false, reason: 'EventKey is over 64 bytes' });
    expect(readPush({ ...base, Event: 'subscribe', EventKey: `qrscene_${'s'.repeat(64)}` }).ok).toBe(true);
    expect(readPush({ ...base, Event: 'subscribe', EventKey: `qrscene_${'s'.repeat(65)}` }).ok).toBe(false);
  });
});
