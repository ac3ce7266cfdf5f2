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
      aesKey: null,
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
  it('reads the EncodingAESKey of 安全模式 and refuses one that is not 43 letters or digits', () => {
    const aesKey = readMpConfig({ ...env, DUET_MP_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' }).aesKey;
    expect(aesKey?.length).toBe(32);
    expect(() => readMpConfig({ ...env, DUET_MP_AES_KEY: 'too-short' })).toThrow(/43-character EncodingAESKey/);
  });
});
