// Placeholder until this module lands (a helper replaces this file).
import type { EmulatorModule } from '../context';
export const payModule: EmulatorModule = { name: 'pay', setup() {} };
