import { describe, expect, it } from 'vitest';
import { adminContract } from './admin';
import { CONSOLE_CONTRACTS, consoleFunctionOf } from './console';
import { couponContract } from './coupon';
import { memberContract } from './member';
import { schedulerContract } from './scheduler';

describe('console contracts', () => {
  it('give every job one function: job names are unique across them', () => {
    const names = CONSOLE_CONTRACTS.flatMap((contract) => Object.keys(contract.actions));
    expect(new Set(names).size).toBe(names.length);
    expect(consoleFunctionOf('seed')).toBe('admin');
    expect(consoleFunctionOf('createCouponTemplate')).toBe('couponAdmin');
    expect(consoleFunctionOf('shipOrder')).toBe('orderAdmin');
    expect(consoleFunctionOf('dropEverything')).toBeNull();
  });

  it('never name an input field `action`: the event’s own `action` names the job and would hide it', () => {
    for (const contract of [...CONSOLE_CONTRACTS, adminContract, couponContract, memberContract, schedulerContract]) {
      for (const [name, action] of Object.entries(contract.actions)) {
        const shape = (action.input as { _zod: { def: { shape?: Record<string, unknown> } } })._zod.def.shape ?? {};
        expect(Object.keys(shape), `${contract.name}.${name}`).not.toContain('action');
      }
    }
  });
});
