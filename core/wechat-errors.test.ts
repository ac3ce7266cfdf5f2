import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isErrorCode } from './errors';
import { WECHAT_ERRORS, wechatError } from './wechat-errors';

describe('wechatError', () => {
  it('reads the daily quota (45009) as exhausted and retryable, wherever it comes from', () => {
    expect(wechatError(45009)).toMatchObject({ code: 'RESOURCE_EXHAUSTED', retryable: true });
  });

  it('reads token churn and outages as retryable UNAVAILABLE', () => {
    for (const errcode of [-1, 40001, 42001]) expect(wechatError(errcode)).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });

  it('reads refusals an operator must fix as not retryable', () => {
    expect(wechatError(41030)).toMatchObject({ code: 'INVALID_ARGUMENT', retryable: false });
    expect(wechatError(40164)).toMatchObject({ code: 'FAILED_PRECONDITION', retryable: false });
    expect(wechatError(43101)).toMatchObject({ code: 'FAILED_PRECONDITION', retryable: false });
  });

  it('maps every errcode to a product code with an English reason, listed or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (errcode) => {
        const rule = wechatError(errcode);
        expect(isErrorCode(rule.code)).toBe(true);
        expect(rule.reason).toMatch(/^[\x20-\x7e\u4e00-\u9fff]+$/);
        if (!Object.hasOwn(WECHAT_ERRORS, errcode)) {
          expect(rule.retryable).toBe(!(errcode >= 40000 && errcode < 50000));
        }
      }),
    );
  });

  it('does not read prototype keys as errcodes', () => {
    expect(wechatError(Number('constructor'))).toMatchObject({ code: 'UNAVAILABLE' });
  });
});
