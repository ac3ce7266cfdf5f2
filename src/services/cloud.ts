import Taro from '@tarojs/taro';
import type { ActionName, FunctionContract, InputOf, OutputOf } from '../../core/contract';
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

export async function callCloud<C extends FunctionContract, A extends ActionName<C>>(
  contract: C,
  action: A,
  params: InputOf<C, A>,
): Promise<OutputOf<C, A>> {
  const event = { ...(params as object), action };
  let envelope: Envelope<unknown>;
  try {
    envelope = process.env.TARO_ENV === 'weapp' ? await callWeapp(contract.name, event) : await callLocal(contract.name, event);
  } catch (error) {
    if (error instanceof CloudCallError) throw error;
    throw new CloudCallError('UNAVAILABLE', messageOf('UNAVAILABLE'));
  }
  if (!envelope || typeof envelope !== 'object' || !('ok' in envelope)) {
    throw new CloudCallError('INTERNAL', messageOf('INTERNAL'));
  }
  if (!envelope.ok) {
    const code = isErrorCode(envelope.code) ? envelope.code : 'INTERNAL';
    throw new CloudCallError(code, envelope.message || messageOf(code), envelope.requestId);
  }
  const parsed = contract.actions[action].output.safeParse(envelope.data);
  if (!parsed.success) throw new CloudCallError('INTERNAL', messageOf('INTERNAL'));
  return parsed.data as OutputOf<C, A>;
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
