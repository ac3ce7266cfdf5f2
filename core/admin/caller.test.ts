import { describe, expect, it } from 'vitest';
import { platformCallerKind } from './caller';

describe('platformCallerKind', () => {
  it('knows the console and timers by the first element of the SOURCE chain', () => {
    expect(platformCallerKind('wx_cloudconsole')).toBe('console');
    expect(platformCallerKind('wx_devtools')).toBe('console');
    expect(platformCallerKind('wx_trigger')).toBe('trigger');
    // A function called by a timer-triggered function carries the chain; the origin decides.
    expect(platformCallerKind('wx_trigger,scf')).toBe('trigger');
  });

  it('never takes HTTP, app users, a later element of the chain or prototype keys for the platform', () => {
    for (const source of [
      'wx_http',
      'wx_client',
      'wx_client,wx_cloudconsole',
      'scf,wx_trigger',
      '',
      'constructor',
      '__proto__',
      ' wx_http ',
    ]) {
      expect(platformCallerKind(source)).toBeNull();
    }
  });
});
