import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failure, ok } from './envelope';
import { assert, DuetError, ERROR_CODES, type ErrorCode, isErrorCode, messageOf } from './errors';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];
const HAN = /[\u4e00-\u9fff]/;

describe('error codes', () => {
  it('every code has a Simplified Chinese message for the app', () => {
    for (const code of codes) expect(messageOf(code)).toMatch(HAN);
  });

  it('only the closed set counts as a code', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(isErrorCode(value)).toBe(codes.includes(value as ErrorCode));
      }),
    );
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('INTERNAL')).toBe(true);
  });

  it('assert throws a DuetError with the code and the English detail, and passes truthy values', () => {
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.string({ minLength: 1 }), (code, detail) => {
        let caught: unknown;
        try {
          assert(false, code, detail);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(DuetError);
        expect((caught as DuetError).code).toBe(code);
        expect((caught as DuetError).detail).toBe(detail);
        expect(() => assert(1, code, detail)).not.toThrow();
      }),
    );
  });
});

describe('envelope', () => {
  it('a failure carries the code, its Chinese message and the request id', () => {
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.string(), (code, requestId) => {
        const result = failure(code, 'why', requestId);
        expect(result).toEqual({ ok: false, code, message: messageOf(code), detail: 'why', requestId });
      }),
    );
  });

  it('ok wraps data untouched', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        const result = ok(data);
        expect(result.ok).toBe(true);
        expect(result.data).toBe(data);
      }),
    );
  });
});
