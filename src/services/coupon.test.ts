import { describe, expect, it } from 'vitest';
import { newRequestId } from './coupon';

describe('newRequestId', () => {
  it('makes 24 chars of [a-z0-9], different every time', () => {
    const ids = Array.from({ length: 2000 }, () => newRequestId());
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
