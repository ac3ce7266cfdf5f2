import { type Helper, helpDayIdOf, helpIdOf } from '../../../core/fission/help';
import type { MemberDoc } from '../../../core/member/member';
import { shanghaiDay } from '../../../core/points/rules';
import { findHelp, findHelpDay, type HelpCampaignDoc } from './repository';

/** What the rules read about a would-be helper: when they joined, today's helps, a counted help in the campaign. */
export async function helperFacts(campaign: HelpCampaignDoc, taskId: string, member: MemberDoc, now: Date): Promise<Helper> {
  const [day, campaignHelp] = await Promise.all([
    findHelpDay(helpDayIdOf(campaign._id, member._id, shanghaiDay(now))),
    campaign.audience === 'not_helped' ? findHelp(helpIdOf(campaign, taskId, member._id)) : Promise.resolve(null),
  ]);
  return {
    memberId: member._id,
    joinedAt: new Date(member.createdAt),
    helpsToday: Number(day?.count ?? 0),
    helpedInCampaign: campaignHelp?.state === 'counted' && campaignHelp.taskId !== taskId,
  };
}
