import Taro from '@tarojs/taro';
import type { ActionName, InputOf, OutputOf } from '../../core/contract';
import type { AppContracts, AppFunction } from '../../core/contracts';
import type { Envelope } from '../../core/envelope';
import { isErrorCode, messageOf } from '../../core/errors';
import { CloudCallError } from './errors';
import { currentPersona } from './persona';

/**
 * The single place the app calls the cloud. On the mini-program it is `Taro.cloud.callFunction`;
 * on H5 (local use and browser tests) it is the local cloud's invoke endpoint, as the persona
 * chosen in the dev-only persona switcher.
 */

let initialized = false;

export function initCloud(): void {
  if (initialized) return;
  initialized = true;
  if (process.env.TARO_ENV === 'weapp') {
    Taro.cloud.init({ env: DUET_CLOUD_ENV, traceUser: true });
  }
}

/**
 * Calls `fn.action` and answers its data, typed by the function's contract. The server already
 * validated the result against that contract; the app checks only the envelope's shape, so
 * no validator ships in the mini-program (see DESIGN.md, sizes).
 */
export async function callCloud<F extends AppFunction, A extends ActionName<AppContracts[F]>>(
  fn: F,
  action: A,
  params: InputOf<AppContracts[F], A>,
): Promise<OutputOf<AppContracts[F], A>> {
  const event = { ...(params as object), action };
  let envelope: unknown;
  try {
    envelope = process.env.TARO_ENV === 'weapp' ? await callWeapp(fn, event) : await callLocal(fn, event);
  } catch (error) {
    if (error instanceof CloudCallError) throw error;
    throw new CloudCallError('UNAVAILABLE', messageOf('UNAVAILABLE'));
  }
  return unwrapEnvelope(envelope) as OutputOf<AppContracts[F], A>;
}

/** An answer that is not an envelope (a platform page, a proxy's HTML) is INTERNAL, never data. */
export function unwrapEnvelope(envelope: unknown): unknown {
  if (!envelope || typeof envelope !== 'object' || !('ok' in envelope) || typeof envelope.ok !== 'boolean') {
    throw new CloudCallError('INTERNAL', messageOf('INTERNAL'));
  }
  const answer = envelope as Envelope<unknown>;
  if (!answer.ok) {
    const code = isErrorCode(answer.code) ? answer.code : 'INTERNAL';
    throw new CloudCallError(
      code,
      typeof answer.message === 'string' && answer.message ? answer.message : messageOf(code),
      answer.requestId,
      typeof answer.reason === 'string' ? answer.reason : undefined,
    );
  }
  if (!('data' in answer)) throw new CloudCallError('INTERNAL', messageOf('INTERNAL'));
  return answer.data;
}

async function callWeapp(name: string, data: Record<string, unknown>): Promise<Envelope<unknown>> {
  const response = await Taro.cloud.callFunction({ name, data });
  return response.result as Envelope<unknown>;
}

interface InvokeAnswer {
  result?: Envelope<unknown>;
  error?: { errCode: number; errMsg: string };
}

async function callLocal(name: string, event: Record<string, unknown>): Promise<Envelope<unknown>> {
  const persona = await currentPersona();
  const response = await Taro.request<InvokeAnswer>({
    url: `${DUET_EMULATOR_URL}/_emu/functions/${encodeURIComponent(name)}/invoke`,
    method: 'POST',
    header: { 'content-type': 'application/json' },
    data: {
      event,
      user: { openid: persona.openid, unionid: persona.unionid, appid: DUET_MINI_APPID },
      source: 'wx_client',
    },
  });
  const answer = response.data;
  if (answer?.result) return answer.result;
  // The platform itself failed (timeout, crash): the user sees "busy", operators see errMsg in the local cloud log.
  throw new CloudCallError('UNAVAILABLE', messageOf('UNAVAILABLE'));
}
