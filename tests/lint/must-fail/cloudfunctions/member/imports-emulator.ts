// expect: functions import only server/ and core/
import { startEmulator } from '../../emulator/src/index';
export const x = startEmulator;
