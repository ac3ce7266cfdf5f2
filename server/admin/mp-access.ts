import { DuetError } from '../../core/errors';
import { wechatError } from '../../core/wechat-errors';
import { type MpConfig, mpConfig } from '../mp/config';
import { MpApiError } from '../mp/mp-api';

/** The 公众号 settings (shared with mpGateway: same variables, same token cache in `mp_tokens`). */
export function adminMpConfig(): MpConfig {
  try {
    return mpConfig();
  } catch (error) {
    if (error instanceof DuetError && error.code === 'FAILED_PRECONDITION')
      throw new DuetError(
        'FAILED_PRECONDITION',
        error.detail.replace('mpGateway is not configured', 'the 公众号 is not configured for admin'),
      );
    throw error;
  }
}

/** WeChat's refusal as the product code the errcode table gives it; an unreachable API as UNAVAILABLE. */
export function mpFailure(error: unknown): DuetError {
  if (error instanceof DuetError) return error;
  if (error instanceof MpApiError) {
    const rule = wechatError(error.errcode);
    return new DuetError(rule.code, `${error.message} (${rule.reason})`);
  }
  return new DuetError('UNAVAILABLE', `公众号 API unreachable: ${error instanceof Error ? error.message : String(error)}`);
}
