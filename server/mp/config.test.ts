import { describe, expect, it } from 'vitest';
import { readMpConfig } from './config';

const env = { DUET_MP_TOKEN: 'duettoken', DUET_MP_APPID: 'wxmp', DUET_MP_SECRET: 's', DUET_MINI_APPID: 'wxmini' };

describe('readMpConfig', () => {
  it('reads the variables, defaulting the API base', () => {
    expect(readMpConfig(env)).toEqual({
      token: 'duettoken',
      appid: 'wxmp',
      secret: 's',
      apiBase: 'https://api.weixin.qq.com',
      miniAppid: 'wxmini',
      thumbMediaId: null,
    });
    expect(readMpConfig({ ...env, DUET_MP_API_BASE: 'http://127.0.0.1:1/mp/' }).apiBase).toBe('http://127.0.0.1:1/mp');
  });
  it('names every missing variable in plain English', () => {
    expect(() => readMpConfig({ DUET_MP_APPID: 'wxmp' })).toThrow(
      /set DUET_MP_TOKEN, DUET_MP_SECRET, DUET_MINI_APPID in the function's environment/,
    );
    expect(() => readMpConfig({ ...env, DUET_MP_TOKEN: 'has space' })).toThrow(/3-32 letters or digits/);
    expect(() => readMpConfig({ ...env, DUET_MP_API_BASE: 'api.weixin.qq.com' })).toThrow(/http\(s\) URL/);
  });
});
