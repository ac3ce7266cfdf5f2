/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    TARO_ENV: 'weapp' | 'h5' | undefined;
  }
}

/** Cloud environment id of the deployed mini-program (set DUET_CLOUD_ENV when building). */
declare const DUET_CLOUD_ENV: string;
/** Local cloud base URL for the H5 build ('' = same origin). */
declare const DUET_EMULATOR_URL: string;
/** The mini-program's appid, as the local cloud personas use it. */
declare const DUET_MINI_APPID: string;
/** The 公众号's display name (set DUET_MP_NAME when building). */
declare const DUET_MP_NAME: string;
/** Functions only: every page of the built app (src/app.config.ts), defined by scripts/lib/build-functions.ts. */
declare const DUET_APP_PAGES: readonly string[] | undefined;
