import { DuetError } from '../../core/errors';
import { type MpConfig, MpConfigError, mpConfig } from '../mp/config';
import { MpApiError } from '../mp/mp-api';

/** The 公众号 settings (shared with mpGateway: same variables, same token cache in `mp_tokens`). */
export function adminMpConfig(): MpConfig {
  try {
    return mpConfig();
  } catch (error) {
    if (error instanceof MpConfigError)
      throw new DuetError(
        'FAILED_PRECONDITION',
        error.message.replace('mpGateway is not configured', 'the 公众号 is not configured for admin'),
      );
    throw error;
  }
}

/** WeChat's refusal of a request as INVALID_ARGUMENT (the operator can fix it); anything else as UNAVAILABLE. */
export function mpFailure(error: unknown): DuetError {
  if (error instanceof DuetError) return error;
  if (error instanceof MpApiError) {
    const operatorFixable = error.errcode >= 40000 && error.errcode < 50000 && ![40001, 42001, 45009].includes(error.errcode);
    return new DuetError(operatorFixable ? 'INVALID_ARGUMENT' : 'UNAVAILABLE', error.message);
  }
  return new DuetError('UNAVAILABLE', `公众号 API unreachable: ${error instanceof Error ? error.message : String(error)}`);
}
