// expect: emulator/ plays WeChat
import { HOME_PAGE } from '../../src/routes';
export const x = HOME_PAGE;
