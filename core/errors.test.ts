import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failure, ok } from './envelope';
import { assert, DuetError, ERROR_CODES, type ErrorCode, isErrorCode, messageOf } from './errors';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];
const HAN = /[\u4e00-\u9fff]/;
const LATIN = /[A-Za-z]/;
/** The messages a user sees when nothing more specific is known (server and app fallbacks). */
const GENERIC_MESSAGES = [ERROR_CODES.INTERNAL, ERROR_CODES.UNAVAILABLE, '网络异常，请稍后重试'];

const KNOWN_CODES = [
  'INVALID_ARGUMENT',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'CONFLICT',
  'FAILED_PRECONDITION',
  'RESOURCE_EXHAUSTED',
  'SCENE_INVALID',
  'SCENE_EXPIRED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

/** Keys every plain object answers to: a lookup with `in` or `obj[key]` would take them for codes. */
const PROTOTYPE_KEYS = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupGetter__',
];

describe('error codes', () => {
  it('every code has a Simplified Chinese message for the app, with no English in it', () => {
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) {
      const message = messageOf(code);
      expect(message.trim().length).toBeGreaterThan(0);
      expect(message).toMatch(HAN);
      expect(message, `${code} shows English to the user`).not.toMatch(LATIN);
    }
  });

  it('a specific refusal tells the user more than the generic "something went wrong"', () => {
    for (const code of codes) {
      if (code === 'INTERNAL' || code === 'UNAVAILABLE') continue;
      expect(GENERIC_MESSAGES, `${code} has a generic message`).not.toContain(messageOf(code));
    }
    expect(messageOf('INTERNAL')).not.toBe(messageOf('UNAVAILABLE'));
  });

  it('answers the message written for the code', () => {
    expect(messageOf('UNAUTHENTICATED')).toBe('请先登录');
    expect(messageOf('NOT_FOUND')).toBe('内容不存在或已下架');
    expect(messageOf('SCENE_EXPIRED')).toBe('活动已结束，为你打开首页');
    expect(messageOf('INTERNAL')).toBe('系统开小差了，请稍后重试');
  });

  it('every code is a code', () => {
    for (const code of codes) expect(isErrorCode(code)).toBe(true);
  });

  it('prototype keys are not codes', () => {
    for (const key of PROTOTYPE_KEYS) expect(isErrorCode(key), key).toBe(false);
  });

  it('a near miss of a code is not a code', () => {
    const nearMiss = fc
      .constantFrom(...codes)
      .chain((code) =>
        fc.constantFrom(
          code.toLowerCase(),
          ` ${code}`,
          `${code} `,
          `${code}\n`,
          code.slice(0, -1),
          `${code}_`,
          `${code}:x`,
          `${code.slice(0, 1)}\u200b${code.slice(1)}`,
        ),
      );
    fc.assert(
      fc.property(nearMiss, (value) => {
        expect(isErrorCode(value)).toBe(false);
      }),
    );
  });

  it('only strings can be codes', () => {
    const notStrings = [
      undefined,
      null,
      0,
      1,
      true,
      Symbol('INTERNAL'),
      ['INTERNAL'],
      { INTERNAL: 1 },
      new String('INTERNAL'),
      () => 'INTERNAL',
    ];
    for (const value of notStrings) expect(isErrorCode(value)).toBe(false);
    fc.assert(
      fc.property(
        fc.anything().filter((value) => typeof value !== 'string'),
        (value) => {
          expect(isErrorCode(value)).toBe(false);
        },
      ),
    );
  });

  it('the set of codes is closed and spelt as clients switch on them', () => {
    // Written out rather than read from ERROR_CODES: renaming a code must fail here first.
    expect([...codes].sort()).toEqual([...KNOWN_CODES].sort());
  });

  it('a random string is a code only when it is one of the names, spelt exactly', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...KNOWN_CODES), fc.stringMatching(/^[A-Z_]{1,20}$/)), (value) => {
        expect(isErrorCode(value)).toBe((KNOWN_CODES as readonly string[]).includes(value));
      }),
    );
  });
});

describe('DuetError and assert', () => {
  it('a DuetError is an Error carrying the code and the English detail', () => {
    const error = new DuetError('NOT_FOUND', 'campaign c1 missing');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DuetError');
    expect(error.code).toBe('NOT_FOUND');
    expect(error.detail).toBe('campaign c1 missing');
    expect(error.message).toBe('NOT_FOUND: campaign c1 missing');
  });

  it('without a detail, the code stands in for it', () => {
    const error = new DuetError('CONFLICT');
    expect(error.detail).toBe('CONFLICT');
    expect(error.message).toBe('CONFLICT');
  });

  it('assert throws a DuetError with the code and the detail for every falsy condition', () => {
    const falsy = fc.constantFrom<unknown>(false, 0, -0, 0n, '', null, undefined, Number.NaN);
    fc.assert(
      fc.property(falsy, fc.constantFrom(...codes), fc.string({ minLength: 1 }), (condition, code, detail) => {
        let caught: unknown;
        try {
          assert(condition, code, detail);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(DuetError);
        expect((caught as DuetError).code).toBe(code);
        expect((caught as DuetError).detail).toBe(detail);
      }),
    );
  });

  it('assert passes every truthy condition', () => {
    const truthy = fc.oneof(
      fc.constantFrom<unknown>(true, 1, -1, 1n, 'x', '0', 'false', [], {}, Number.POSITIVE_INFINITY),
      fc.integer().filter((n) => n !== 0),
      fc.string({ minLength: 1 }),
      fc.object(),
    );
    fc.assert(
      fc.property(truthy, fc.constantFrom(...codes), (condition, code) => {
        expect(() => assert(condition, code, 'never thrown')).not.toThrow();
      }),
    );
  });
});

describe('envelope', () => {
  it('a failure carries the code, its Chinese message and the request id', () => {
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.string(), fc.string(), (code, detail, requestId) => {
        const result = failure(code, detail, requestId);
        expect(result).toEqual({ ok: false, code, message: ERROR_CODES[code], detail, requestId });
        expect(result.message).not.toBe(detail);
      }),
    );
    expect(failure('NOT_FOUND', 'campaign c1 missing').message).toBe('内容不存在或已下架');
  });

  it('a failure without detail or request id has no such keys, so JSON carries no nulls', () => {
    const result = failure('INTERNAL');
    expect(Object.keys(result).sort()).toEqual(['code', 'message', 'ok']);
    expect(JSON.parse(JSON.stringify(failure('INTERNAL', undefined, 'req-1')))).toEqual({
      ok: false,
      code: 'INTERNAL',
      message: '系统开小差了，请稍后重试',
      requestId: 'req-1',
    });
  });

  it('ok wraps data untouched', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        const result = ok(data);
        expect(Object.keys(result).sort()).toEqual(['data', 'ok']);
        expect(result.ok).toBe(true);
        expect(result.data).toBe(data);
      }),
    );
  });
});
