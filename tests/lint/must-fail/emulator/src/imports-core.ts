// expect: emulator/ plays WeChat
import { ERROR_CODES } from '../../core/errors';
export const x = ERROR_CODES;
