import { describe, expect, it } from 'vitest';
import { messageOf } from '../../core/errors';
import { unwrapEnvelope } from './cloud';
import { CloudCallError } from './errors';

function refusal(envelope: unknown): CloudCallError {
  try {
    unwrapEnvelope(envelope);
  } catch (error) {
    expect(error).toBeInstanceOf(CloudCallError);
    return error as CloudCallError;
  }
  throw new Error('expected the envelope to be refused');
}

describe('unwrapEnvelope', () => {
  it('answers the data of an ok envelope as it came', () => {
    const data = { _id: 'm1', points: 0, nested: { list: [1, 2] } };
    expect(unwrapEnvelope({ ok: true, data })).toBe(data);
    expect(unwrapEnvelope({ ok: true, data: null })).toBeNull();
  });

  it('turns a failure into its code, its Chinese message and the request id', () => {
    const error = refusal({ ok: false, code: 'NOT_FOUND', message: '活动不存在', requestId: 'req-1' });
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('活动不存在');
    expect(error.requestId).toBe('req-1');
  });

  it('fills the message of a known code when the server sent none', () => {
    const error = refusal({ ok: false, code: 'UNAUTHENTICATED' });
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe(messageOf('UNAUTHENTICATED'));
  });

  it('reads an unknown code as INTERNAL, never as a code the app would act on', () => {
    const error = refusal({ ok: false, code: 'DROP_TABLES', message: 'x' });
    expect(error.code).toBe('INTERNAL');
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a proxy page', '<html>502 Bad Gateway</html>'],
    ['ok that is not a boolean', { ok: 'yes', data: {} }],
    ['ok without data', { ok: true }],
    ['an array', [true]],
  ])('refuses %s as INTERNAL', (_label, envelope) => {
    const error = refusal(envelope);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe(messageOf('INTERNAL'));
  });
});
