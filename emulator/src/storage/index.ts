// Placeholder until this module lands (a helper replaces this file).
import type { EmulatorModule } from '../context';
export const storageModule: EmulatorModule = { name: 'storage', setup() {} };
