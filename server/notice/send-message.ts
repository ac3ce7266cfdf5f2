import { DuetError } from '../../core/errors';
import type { SubscribeMessage } from '../../core/notice/builders';
import { cloud } from '../cloud';
import { Deadline, withDeadline } from '../deadline';
import { HttpClientError } from '../http-client';
import { log } from '../log';
import { type MpConfig, mpConfig } from '../mp/config';
import { callMpApi, MpApiError } from '../mp/mp-api';

/**
 * The two ways a notice leaves: a subscription message through the open API, or a 公众号 template
 * message. Each answers WeChat's errcode (0 when sent), or null when nobody answered in time (a
 * timeout or a broken connection: the dispatcher retries those).
 */

/** `miniprogram_state` of the card: formal in production, `developer`/`trial` for builds under test. */
function miniprogramState(): 'developer' | 'trial' | 'formal' {
  const state = process.env.DUET_MINIPROGRAM_STATE;
  return state === 'developer' || state === 'trial' ? state : 'formal';
}

export async function sendSubscribeMessage(touser: string, message: SubscribeMessage, timeoutMs: number): Promise<number | null> {
  try {
    const result = (await withDeadline(
      cloud.openapi.subscribeMessage.send({
        touser,
        templateId: message.templateId,
        page: message.page,
        data: message.data,
        miniprogramState: miniprogramState(),
        lang: 'zh_CN',
      }),
      timeoutMs,
      'subscribeMessage.send',
    )) as { errCode?: number } | undefined;
    return typeof result?.errCode === 'number' ? result.errCode : 0;
  } catch (error) {
    if (error instanceof Deadline) return null;
    const errCode = (error as { errCode?: unknown })?.errCode;
    if (typeof errCode === 'number') return errCode;
    log('warn', { event: 'notice.subscribe.no_answer', error: String((error as Error)?.message ?? error) });
    return null;
  }
}

export interface MpTemplateMessage {
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
}

export async function sendMpTemplateMessage(
  config: MpConfig,
  touser: string,
  message: MpTemplateMessage,
  now: Date,
  timeoutMs: number,
): Promise<number | null> {
  try {
    await withDeadline(
      callMpApi(config, {
        method: 'POST',
        api: 'message/template/send',
        json: {
          touser,
          template_id: message.templateId,
          miniprogram: { appid: config.miniAppid, pagepath: message.page },
          data: message.data,
        },
        now,
        timeoutMs,
      }),
      timeoutMs + 500,
      'message/template/send',
    );
    return 0;
  } catch (error) {
    if (error instanceof MpApiError) return error.errcode;
    if (error instanceof Deadline || error instanceof HttpClientError) return null;
    // No token (WeChat refused to issue one, or another instance is refreshing it): like an outage, tried again later.
    if (error instanceof DuetError) {
      log('warn', { event: 'notice.mp.no_token', error: error.detail });
      return null;
    }
    throw error;
  }
}

/** The 公众号 settings when the 公众号 is set up; without them there is no fallback channel. */
export function optionalMpConfig(): MpConfig | null {
  try {
    return mpConfig();
  } catch {
    // A mini-program without a 公众号 is a valid setup: notices without a grant are skipped, not failed.
    return null;
  }
}
