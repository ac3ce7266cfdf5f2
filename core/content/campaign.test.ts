import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaignWindow } from './campaign';

const t = (iso: string) => new Date(iso);

describe('campaignWindow', () => {
  it('runs from its start (inclusive) to its end (exclusive)', () => {
    const campaign = { startsAt: t('2030-03-01T00:00:00Z'), endsAt: t('2030-03-31T16:00:00Z') };
    expect(campaignWindow(campaign, t('2030-02-28T23:59:59.999Z')).active).toBe(false);
    expect(campaignWindow(campaign, t('2030-03-01T00:00:00Z')).active).toBe(true);
    expect(campaignWindow(campaign, t('2030-03-31T15:59:59.999Z')).active).toBe(true);
    expect(campaignWindow(campaign, t('2030-03-31T16:00:00Z')).active).toBe(false);
  });

  it('treats a missing bound as open and an unreadable one as passed', () => {
    expect(campaignWindow({}, t('2030-01-01T00:00:00Z'))).toEqual({ startsAt: null, endsAt: null, active: true });
    expect(campaignWindow({ endsAt: 'soon' }, t('2030-01-01T00:00:00Z')).active).toBe(false);
    expect(campaignWindow({ startsAt: '2030-01-01T00:00:00.000Z' }, t('2030-01-01T00:00:00Z')).startsAt).toEqual(t('2030-01-01T00:00:00Z'));
  });

  it('is active exactly when now lies in [startsAt, endsAt)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e12 }), (a, b, n) => {
        const [start, end] = a <= b ? [a, b] : [b, a];
        const active = campaignWindow({ startsAt: new Date(start), endsAt: new Date(end) }, new Date(n)).active;
        expect(active).toBe(n >= start && n < end);
      }),
    );
  });
});
