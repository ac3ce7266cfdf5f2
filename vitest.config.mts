import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './tests/support/slow-first-sequencer';

const root = import.meta.dirname;

// One run, several projects: pure rules, app components (jsdom), the local cloud itself,
// functions through the real SDK against the local cloud, and Chromium journeys.
export default defineConfig({
  test: {
    // Vitest's default is one worker less than the CPUs: one on a 2-core CI machine. Most integration time is spent
    // waiting for the local cloud and its function processes, so two files at a time overlap that waiting.
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        test: {
          name: 'core',
          include: ['core/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/lint/**/*.test.ts'],
          environment: 'node',
          // Property tests and bundle builds share a 2-core runner with the other projects: no test is about speed.
          testTimeout: 30_000,
        },
      },
      {
        // Build-time flags the Taro runtime expects (Taro's own build defines them).
        define: {
          ...Object.fromEntries(
            ['INNER_HTML', 'ADJACENT_HTML', 'SIZE_APIS', 'TEMPLATE_CONTENT', 'CLONE_NODE', 'CONTAINS', 'MUTATION_OBSERVER'].map((flag) => [
              `ENABLE_${flag}`,
              'true',
            ]),
          ),
          DEPRECATED_ADAPTER_COMPONENT: 'false',
          // The app's own build constants (config/index.ts), as the H5 build sets them.
          DUET_EMULATOR_URL: JSON.stringify(''),
          DUET_CLOUD_ENV: JSON.stringify('duet-test'),
          DUET_MINI_APPID: JSON.stringify('wxd0e7000000000001'),
          DUET_MP_NAME: JSON.stringify('Duet 品牌'),
        },
        resolve: {
          // Exact matches only: the React build of the components imports its own subpaths.
          alias: [
            { find: /^@tarojs\/components$/, replacement: path.join(root, 'node_modules/@tarojs/components/lib/react/index.js') },
            { find: /^@tarojs\/taro$/, replacement: path.join(root, 'tests/support/taro-double.ts') },
          ],
        },
        test: {
          name: 'app',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: [path.join(root, 'tests/support/app-setup.ts')],
          // NutUI and Taro's React components ship ES modules in .js files without "type": "module".
          server: { deps: { inline: [/@nutui/, /@tarojs\/components/] } },
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
          // npm pack of emulator/, installed from the tarball into a copy of examples/todo-cloudbase (registry, native build).
          name: 'package',
          include: ['tests/package/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 600_000,
          hookTimeout: 60_000,
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
