/**
 * A small test double of @tarojs/taro for component tests in jsdom (the real package needs
 * the Taro runtime). Only what the app uses; storage is in memory, navigation is recorded.
 */
const storage = new Map<string, unknown>();
let launchOptions: { path: string; query: Record<string, string> } = { path: 'pages/index/index', query: {} };
let routerParams: Record<string, string> = {};
export function setLaunchOptions(options: { path: string; query: Record<string, string> }) {
  launchOptions = options;
}
export function setRouterParams(params: Record<string, string>) {
  routerParams = params;
}
export const navigations: string[] = [];
export interface RequestOptions {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
}
/** Every Taro.request a test made, in order. */
export const requests: RequestOptions[] = [];
let responder: ((options: RequestOptions) => unknown) | null = null;
export function respondWith(fn: ((options: RequestOptions) => unknown) | null) {
  responder = fn;
}
type Hook = () => void;

let subscribeAnswer: Record<string, string> = {};
/** What WeChat's subscription sheet answers next (the mini-program build's `requestSubscribeMessage`). */
export function answerSubscribeWith(answer: Record<string, string>) {
  subscribeAnswer = answer;
}

const Taro = {
  getStorageSync: (key: string) => storage.get(key) ?? '',
  setStorageSync: (key: string, value: unknown) => {
    storage.set(key, value);
  },
  removeStorageSync: (key: string) => {
    storage.delete(key);
  },
  navigateTo: async ({ url }: { url: string }) => {
    navigations.push(url);
  },
  switchTab: async ({ url }: { url: string }) => {
    navigations.push(url);
  },
  redirectTo: async ({ url }: { url: string }) => {
    navigations.push(url);
  },
  request: async (options: RequestOptions) => {
    requests.push(options);
    if (!responder) throw new Error('Taro.request has no responder in this test: call respondWith()');
    return { statusCode: 200, data: await responder(options) };
  },
  cloud: {
    init: () => undefined,
    callFunction: async () => {
      throw new Error('Taro.cloud is not available in component tests');
    },
  },
  getEnv: () => 'WEB',
  getLaunchOptionsSync: () => launchOptions,
  getCurrentInstance: () => ({ router: { params: routerParams } }),
  ENV_TYPE: { WEAPP: 'WEAPP', WEB: 'WEB' },
  showToast: async () => undefined,
  requestSubscribeMessage: async () => ({ errMsg: 'requestSubscribeMessage:ok', ...subscribeAnswer }),
  pxTransform: (value: number) => `${value / 2}px`,
};

export function useDidShow(callback: Hook) {
  // Pages become visible when mounted in tests.
  queueMicrotask(callback);
}
export function useLaunch(callback: Hook) {
  queueMicrotask(callback);
}
export function useRouter() {
  return { params: routerParams, path: '' };
}
export function useLoad(callback: (query: Record<string, string>) => void) {
  queueMicrotask(() => callback(routerParams));
}
export function useShareAppMessage(_callback: () => unknown) {}
export const getEnv = Taro.getEnv;
export const ENV_TYPE = Taro.ENV_TYPE;
export const pxTransform = Taro.pxTransform;
export function resetTaroDouble() {
  storage.clear();
  requests.length = 0;
  responder = null;
  routerParams = {};
  launchOptions = { path: 'pages/index/index', query: {} };
  navigations.length = 0;
  subscribeAnswer = {};
}
export default Taro;
