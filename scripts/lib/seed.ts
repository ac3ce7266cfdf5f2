import { createCloudClient, type PersonaInput } from '../../emulator/src/client';

/**
 * Demo data for `npm run dev`: the personas the persona switcher offers, then the `admin`
 * function's `seed` job (brand articles, campaigns, article codes, keyword replies), run as the
 * cloud console would run it.
 */
export const DEMO_PERSONAS: PersonaInput[] = [
  { name: 'alice', nickname: '爱丽丝', unionid: 'u-alice', follows: true },
  { name: 'bob', nickname: '小波', unionid: 'u-bob', follows: false },
  { name: 'carol', nickname: '卡罗尔', follows: false },
];

/** `cloudUrl`: the local cloud's base URL (what `startEmulator` returns, or DUET_EMULATOR_URL). */
export async function seedDemo(cloudUrl: string): Promise<string> {
  const client = createCloudClient(cloudUrl);
  await client.personas.upsert(DEMO_PERSONAS);
  const answer = await client.invoke('admin', { event: { action: 'seed' }, source: 'wx_cloudconsole' });
  if ('error' in answer) throw new Error(`the admin seed job failed on the platform: ${answer.error.errCode} ${answer.error.errMsg}`);
  const envelope = answer.result as { ok?: boolean; code?: string; detail?: string; message?: string; data?: object } | undefined;
  if (!envelope?.ok) throw new Error(`the admin seed job failed: ${envelope?.code}: ${envelope?.detail ?? envelope?.message}`);
  const counts = Object.entries(envelope.data ?? {})
    .filter(([, value]) => typeof value === 'number')
    .map(([key, value]) => `${value} ${key}`)
    .join(', ');
  return `${DEMO_PERSONAS.length} personas (${DEMO_PERSONAS.map((p) => p.name).join(', ')}); seed: ${counts || 'done'}`;
}
