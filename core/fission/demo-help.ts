import type { HelpCampaignInput } from '../contracts/help-admin';

/**
 * The demo 助力 campaign `npm run dev` seeds through `helpAdmin.createHelpCampaign` (scripts/lib/seed.ts;
 * the admin jobs' examples name `hc-demo-new-friends`): three new friends' helps give the member the
 * seed's ¥10 no-threshold coupon `tpl-help-10`, and each helper 10 points.
 */
export const DEMO_HELP_CAMPAIGNS: Array<{ id: string; campaign: HelpCampaignInput }> = [
  {
    id: 'hc-demo-new-friends',
    campaign: {
      title: '新朋友助力领券',
      reward: { kind: 'coupon', templateId: 'tpl-help-10' },
      helpersNeeded: 3,
      startAt: '2026-01-01T00:00:00+08:00',
      endAt: '2030-12-31T23:59:59+08:00',
      taskHours: 24,
      audience: 'new_members',
      dailyLimit: 3,
      helperPoints: 10,
    },
  },
];
