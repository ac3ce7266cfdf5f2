// Placeholder until the database module lands (helper A replaces this file).
import type { EmulatorModule, EmulatorOptions, StateStore } from '../context';
import { createMemoryState } from '../services';
export const databaseModule: EmulatorModule = { name: 'database', setup() {} };
export function openStateStore(_options: EmulatorOptions): StateStore {
  return createMemoryState();
}
