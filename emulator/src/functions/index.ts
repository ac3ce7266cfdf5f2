// Placeholder until the function runner lands (helper B replaces this file).
import type { EmulatorModule } from '../context';
export const functionsModule: EmulatorModule = {
  name: 'functions',
  setup(ctx) {
    ctx.functions = {
      names: () => [],
      config: () => undefined,
      invoke: async () => ({ error: { errCode: -1, errMsg: 'function runner not loaded' } }),
      invocation: () => undefined,
      idle: async () => undefined,
    };
  },
};
