import { describe, expect, it } from 'vitest';
import { useJourney } from '../support/journey';
import { memberNumberOf } from '../../core/member/member';

describe('H5 app on the local cloud: two personas, two members', () => {
  const journey = useJourney();

  async function memberIdShownTo(persona: string): Promise<string> {
    const page = await journey.open(`pages/member/index?persona=${persona}`);
    const context = page.context();
    const id = page.getByTestId('member-id');
    await id.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await id.textContent())?.trim() ?? '';
    await context.close();
    return text;
  }

  it('each persona logs in through the app and sees its own member', async () => {
    const [alice, bob] = await Promise.all([memberIdShownTo('alice'), memberIdShownTo('bob')]);
    // A short member number, never the 32-character id.
    expect(alice).toMatch(/^\d{10}$/);
    expect(bob).toMatch(/^\d{10}$/);
    expect(alice).not.toBe(bob);

    const db = journey.cloud.db();
    const identities = (await db.collection('identities').get()).data as Array<{ openid: string; memberId: string }>;
    const byOpenid = Object.fromEntries(identities.map((i) => [i.openid, i.memberId]));
    expect(memberNumberOf(byOpenid['o-mini-alice'])).toBe(alice);
    expect(memberNumberOf(byOpenid['o-mini-bob'])).toBe(bob);
    // Logging in again (a reload) keeps the same member.
    expect(await memberIdShownTo('alice')).toBe(alice);
  });
});
