import { newCouponDoc, packCouponId } from '../../core/coupon/coupon';
import type { MemberDoc } from '../../core/member/member';
import { instanceCache } from '../instance-cache';
import { log } from '../log';
import { updateMember } from '../member/repository';
import { issueCoupon } from './issue-coupon';
import { findPackSetting, type PackSetting } from './repository';
import { cachedTemplate } from './template-cache';

/** The pack setting changes rarely; a login reads it at most every 30 s per warm instance. */
const packSetting = instanceCache(30_000, findPackSetting);

/**
 * The new-member pack, once per member, on the configured trigger (the first login, or the first
 * 公众号 follow). Each coupon's `_id` is `pack:<template>:<member>`, so 20 logins at once issue it
 * once; `newMemberPackAt` on the member then makes later logins free (a merge keeps the earlier one,
 * so a person is not given a second pack by becoming one member). Members who joined before the
 * pack was set up get none. A template that is not running (paused, ended, outside its claim window,
 * sold out) is skipped: the pack gives what it can. Answers how many coupons this call issued.
 */
export async function grantNewMemberPack(member: MemberDoc, trigger: PackSetting['trigger'], now: Date): Promise<number> {
  if (member.newMemberPackAt || member.mergedInto) return 0;
  const setting = await packSetting.get();
  if (!setting || setting.trigger !== trigger || setting.templateIds.length === 0) return 0;
  if (new Date(member.createdAt).getTime() < new Date(setting.activeFrom).getTime()) return 0;
  let issued = 0;
  for (const templateId of setting.templateIds) {
    const template = await cachedTemplate(templateId);
    if (!template) continue;
    const t = now.getTime();
    if (t < new Date(template.claimWindow.startsAt).getTime() || t >= new Date(template.claimWindow.endsAt).getTime()) continue;
    const coupon = newCouponDoc(template, { id: packCouponId(template._id, member._id), memberId: member._id, source: 'pack', now });
    const outcome = await issueCoupon(template, coupon, now);
    if (outcome === 'issued') issued += 1;
    if (outcome === 'sold_out') log('warn', { event: 'coupon.pack_sold_out', template: template._id, member: member._id });
  }
  await updateMember(member._id, { newMemberPackAt: now });
  return issued;
}
