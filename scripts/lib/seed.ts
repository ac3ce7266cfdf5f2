/**
 * Demo data for `npm run dev`: the personas the persona switcher offers, then the `admin`
 * function's `seed` job (brand articles, campaigns, article codes, keyword replies), run as the
 * cloud console would run it.
 */
export const DEMO_PERSONAS = [
  { name: 'alice', nickname: '爱丽丝', unionid: 'u-alice', follows: true },
  { name: 'bob', nickname: '小波', unionid: 'u-bob', follows: false },
  { name: 'carol', nickname: '卡罗尔', follows: false },
];

async function post(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} → ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export async function seedDemo(cloudUrl: string): Promise<string> {
  await post(`${cloudUrl}/_emu/personas`, DEMO_PERSONAS);
  const answer = await post(`${cloudUrl}/_emu/functions/admin/invoke`, { event: { action: 'seed' }, source: 'wx_cloudconsole' });
  const envelope = answer?.result;
  if (!envelope?.ok) {
    const why = envelope
      ? `${envelope.code}: ${envelope.detail ?? envelope.message}`
      : `${answer?.error?.errCode} ${answer?.error?.errMsg}`;
    throw new Error(`the admin seed job failed: ${why}`);
  }
  const counts = Object.entries(envelope.data ?? {})
    .filter(([, value]) => typeof value === 'number')
    .map(([key, value]) => `${value} ${key}`)
    .join(', ');
  return `${DEMO_PERSONAS.length} personas (${DEMO_PERSONAS.map((p) => p.name).join(', ')}); seed: ${counts || 'done'}`;
}
