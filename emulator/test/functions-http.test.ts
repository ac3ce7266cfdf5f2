import { describe, expect, it } from 'vitest';
import { useTestCloud } from './support';

describe('HTTP-triggered functions and the outbound guard', () => {
  const cloud = useTestCloud();
  const url = () => cloud.emulator.url;

  it('turns an HTTP request into the integration event and the integration response back into HTTP', async () => {
    const response = await fetch(`${url()}/_emu/http/http/wechat/push?a=1&signature=x`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', 'x-custom': 'yes' },
      body: '<xml>hi</xml>',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(response.headers.get('x-probe')).toBe('yes');
    expect(await response.text()).toBe(
      '<xml><method>POST</method><path>/http/wechat/push</path><a>1</a><body><xml>hi</xml></body><b64>false</b64></xml>',
    );
    const { logs } = await cloud.client.functions.logs('http');
    expect(logs.map((l) => [l.source, l.status])).toEqual([['wx_http', 'success']]);
  });

  it('passes binary bodies base64-encoded and answers a plain return value as JSON', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const response = await fetch(`${url()}/_emu/http/http?plain=1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({ echoed: bytes.toString('base64'), source: 'wx_http' });

    const text = await fetch(`${url()}/_emu/http/http?text=1`);
    expect(text.headers.get('content-type')).toContain('text/plain');
    expect(await text.text()).toBe('just text');
  });

  it('answers 404 for an HTTP path with no function behind it', async () => {
    const response = await fetch(`${url()}/_emu/http/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errCode: -501000, errMsg: 'FunctionName parameter could not be found.' });
  });

  it.each(['http', 'https', 'net', 'fetch'])('refuses outbound %s connections before any packet leaves', async (mode) => {
    const body = (await cloud.client.invoke('outbound', { event: { mode } })) as { result?: any; error?: unknown };
    expect(body.error).toBeUndefined();
    // Blocked before the host was even resolved: no DNS query, no connection attempt.
    expect(body.result).toMatchObject({ connected: false, code: 'EDUETBLOCKED', lookups: 0 });
    expect(body.result.message).toMatch(/\[duet-local-cloud\] blocked outbound connection to (10\.255\.255\.1:80|example\.com:(80|443))/);
    const { logs } = await cloud.client.functions.logs('outbound');
    expect(logs).toHaveLength(1);
    expect(logs[0].lines.some((l) => l.text.startsWith('[duet-local-cloud] blocked outbound'))).toBe(true);
  });

  it('still lets functions reach the local cloud itself', async () => {
    const body = (await cloud.client.invoke('outbound', { event: { mode: 'emulator' } })) as { result: any };
    expect(body.result.connected).toBe(true);
    expect(body.result.result.isDate).toBe(true);
  });
});
