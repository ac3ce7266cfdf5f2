import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';

const root = path.resolve(__dirname, '..');
const isH5 = process.env.TARO_ENV === 'h5';
const emulatorPort = process.env.DUET_EMULATOR_PORT ?? '8790';
// A local postcss plugin, named by its path from the project root (Taro requires it from there).
const TRIM_NUTUI_BUTTON = './config/postcss-trim-nutui-button.cjs';

// Dependencies that ship ES2015+ syntax: transpiled so the weapp output is ES5 for old clients.
const TRANSPILE_MODULES =
  /node_modules[\\/](zod|zustand|@nutui|@tarojs[\\/](components|taro|runtime|shared|plugin-platform-weapp|react))[\\/]/;

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'duet',
    date: '2026-11-25',
    // NutUI is designed at 375 px, our own styles at 750 px.
    designWidth(input) {
      const file = typeof input === 'object' && input ? String((input as { file?: string }).file ?? '') : '';
      return file.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750;
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // npm run deploy builds into its own staging folder, so what it checks and uploads is never rewritten by a watch build.
    outputRoot: isH5 ? 'dist-h5' : (process.env.DUET_WEAPP_OUT ?? 'dist'),
    plugins: [],
    defineConstants: {
      DUET_CLOUD_ENV: JSON.stringify(process.env.DUET_CLOUD_ENV ?? 'duet-prod-0000000000'),
      // Empty: the H5 app talks to the local cloud on its own origin (dev-server proxy or served by it).
      DUET_EMULATOR_URL: JSON.stringify(process.env.DUET_EMULATOR_URL ?? ''),
      DUET_MINI_APPID: JSON.stringify(process.env.DUET_MINI_APPID ?? 'wxd0e7000000000001'),
      // The 公众号's display name, shown where the app invites readers to follow it.
      DUET_MP_NAME: JSON.stringify(process.env.DUET_MP_NAME ?? 'Duet 品牌'),
    },
    alias: {
      '@core': path.join(root, 'core'),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: process.env.TARO_CACHE === '1' },
    mini: {
      compile: { include: [path.join(root, 'core'), (file: string) => TRANSPILE_MODULES.test(file)] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
        // NutUI Button's rules for variants the app never draws stay out of the main package.
        [TRIM_NUTUI_BUTTON]: { enable: true, config: {} },
      },
      optimizeMainPackage: { enable: true },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      compile: { include: [path.join(root, 'core')] },
      output: { filename: 'js/[name].[hash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[hash].css', chunkFilename: 'css/[name].[chunkhash].css' },
      router: { mode: 'hash' },
      devServer: {
        port: Number(process.env.DUET_H5_PORT ?? 10086),
        host: '127.0.0.1',
        proxy: [{ context: ['/_emu'], target: `http://127.0.0.1:${emulatorPort}`, changeOrigin: true }],
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
        // As in the mini-program, so the browser journeys see the buttons the mini-program draws.
        [TRIM_NUTUI_BUTTON]: { enable: true, config: {} },
      },
    },
  };
  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig);
  return merge({}, baseConfig, prodConfig);
});
