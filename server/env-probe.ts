import { platformCallerKind } from '../core/admin/caller';
import { ENV_PROBE_ACTION } from '../core/deploy/env-probe';
import { cloud } from './cloud';

/**
 * `{ action: '$env' }` from the console, a timer or another function they started (the `doctor` job)
 * answers the names — never the values — of this function's DUET_ environment variables that are set, and
 * its Node.js version (the bundles target Node 16):
 * variables are per function in WeChat Cloud, and no function can read another's. Null for any other event.
 */
export function envProbe(event: unknown): { ok: true; data: { set: string[]; node: string } } | null {
  if (!event || typeof event !== 'object' || (event as { action?: unknown }).action !== ENV_PROBE_ACTION) return null;
  const wx = cloud.getWXContext() as Record<string, string | undefined>;
  if (wx.OPENID || !platformCallerKind(wx.SOURCE || '')) return null;
  return {
    ok: true,
    data: {
      set: Object.keys(process.env)
        .filter((name) => name.startsWith('DUET_') && process.env[name])
        .sort(),
      node: process.version,
    },
  };
}
