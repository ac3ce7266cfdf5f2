/**
 * Demo data for `npm run dev`: the personas the persona switcher offers. Brand, articles and
 * campaigns come from the `admin` function's `seed` job once it exists.
 */
export const DEMO_PERSONAS = [
  { name: 'alice', nickname: '爱丽丝', unionid: 'u-alice', follows: true },
  { name: 'bob', nickname: '小波', unionid: 'u-bob', follows: false },
  { name: 'carol', nickname: '卡罗尔', follows: false },
];

export async function seedDemo(cloudUrl: string): Promise<string> {
  const response = await fetch(`${cloudUrl}/_emu/personas`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_PERSONAS),
  });
  if (!response.ok) throw new Error(`seeding personas failed: ${response.status} ${await response.text()}`);
  return `${DEMO_PERSONAS.length} personas (${DEMO_PERSONAS.map((p) => p.name).join(', ')})`;
}
