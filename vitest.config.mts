import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

// One run, several projects: pure rules, app components (jsdom), the local cloud itself,
// functions through the real SDK against the local cloud, and Chromium journeys.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'core',
          include: ['core/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: {
          alias: {
            '@tarojs/components': path.join(root, 'node_modules/@tarojs/components/lib/react'),
            '@tarojs/taro': path.join(root, 'tests/support/taro-double.ts'),
          },
        },
        test: {
          name: 'app',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: [path.join(root, 'tests/support/app-setup.ts')],
        },
      },
      {
        test: {
          name: 'emulator',
          include: ['emulator/test/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          globalSetup: [path.join(root, 'tests/support/build-functions.global.ts')],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          globalSetup: [path.join(root, 'tests/support/build-functions.global.ts'), path.join(root, 'tests/support/build-h5.global.ts')],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
