import { createCloudClient, type PersonaInput } from '../../emulator/src/client';

/**
 * Demo data for `npm run dev`: the personas the persona switcher offers, then the `admin`
 * function's `seed` job (brand articles, campaigns, article codes, keyword replies) and its
 * `syncFollowers` job, run as the cloud console would run them. The sync is what makes the demo agree
 * with the personas: alice follows the 公众号 in the local cloud without ever having pushed a follow,
 * exactly like a brand's existing followers, so only the sync makes her a member that follows.
 */
export const DEMO_PERSONAS: PersonaInput[] = [
  { name: 'alice', nickname: '爱丽丝', unionid: 'u-alice', follows: true },
  { name: 'bob', nickname: '小波', unionid: 'u-bob', follows: false },
  { name: 'carol', nickname: '卡罗尔', follows: false },
];

/** The sync re-invoked while it reports `remaining` (each run stops after 40 s); never forever. */
const MAX_SYNC_RUNS = 1000;

type Envelope = { ok?: boolean; code?: string; detail?: string; message?: string; data?: Record<string, unknown> } | undefined;

/** `cloudUrl`: the local cloud's base URL (what `startEmulator` returns, or DUET_EMULATOR_URL). */
export async function seedDemo(cloudUrl: string): Promise<string> {
  const client = createCloudClient(cloudUrl);
  await client.personas.upsert(DEMO_PERSONAS);
  const admin = async (event: Record<string, unknown>) => {
    const answer = await client.invoke('admin', { event, source: 'wx_cloudconsole' });
    if ('error' in answer)
      throw new Error(`the admin ${event.action} job failed on the platform: ${answer.error.errCode} ${answer.error.errMsg}`);
    const envelope = answer.result as Envelope;
    if (!envelope?.ok) throw new Error(`the admin ${event.action} job failed: ${envelope?.code}: ${envelope?.detail ?? envelope?.message}`);
    return envelope.data ?? {};
  };
  const seeded = await admin({ action: 'seed' });
  const counts = Object.entries(seeded)
    .filter(([, value]) => typeof value === 'number')
    .map(([key, value]) => `${value} ${key}`)
    .join(', ');
  // Started again on every dev start: the personas' follow flags are set above without a push, so
  // the last sync may no longer agree with them (a re-walk of known followers writes nothing).
  let synced = await admin({ action: 'syncFollowers', restart: true });
  for (let runs = 1; Number(synced.remaining) > 0; runs += 1) {
    if (runs >= MAX_SYNC_RUNS) throw new Error('the follower sync is not finishing; run npm run admin -- syncFollowers');
    synced = await admin({ action: 'syncFollowers', restart: true });
  }
  const personas = `${DEMO_PERSONAS.length} personas (${DEMO_PERSONAS.map((p) => p.name).join(', ')})`;
  return `${personas}; seed: ${counts || 'done'}; followers: ${synced.done} synced (${synced.created} new members)`;
}
