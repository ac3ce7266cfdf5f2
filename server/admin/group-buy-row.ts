import type { ActivityRow } from '../../core/contracts/groupbuy-admin';
import { GROUP_STATES, type GroupState } from '../../core/groupbuy/group-state';
import type { ActivityDoc } from '../groupbuy/repository';
import { countGroupsByActivity } from '../groupbuy/repository';
import { sumGroupRevenue } from '../order/repository';

/** Activities as operators see them: their settings, groups by state, paid seats and revenue (2 aggregates). */
export async function groupBuyRows(activities: readonly ActivityDoc[]): Promise<ActivityRow[]> {
  const ids = activities.map((a) => a._id);
  const [counts, revenue] = await Promise.all([countGroupsByActivity(ids), sumGroupRevenue(ids)]);
  return activities.map((activity) => {
    const groups = Object.fromEntries(GROUP_STATES.map((state) => [state, 0])) as Record<GroupState, number>;
    let paidSeats = 0;
    for (const row of counts.filter((c) => c.activityId === activity._id)) {
      groups[row.state] = row.groups;
      if (row.state !== 'failed') paidSeats += row.paidSeats;
    }
    return {
      id: activity._id,
      title: activity.title,
      productId: activity.productId,
      skus: activity.skus,
      size: activity.size,
      fillHours: activity.fillHours,
      startAt: new Date(activity.startAt).toISOString(),
      endAt: new Date(activity.endAt).toISOString(),
      stock: activity.stock,
      stockLeft: activity.stockLeft,
      perMemberLimit: activity.perMemberLimit,
      leaderNewMembersOnly: activity.leaderNewMembersOnly,
      simulateMinPaid: activity.simulateMinPaid,
      holdMinutes: activity.holdMinutes,
      latePayment: activity.latePayment,
      couponsAllowed: activity.couponsAllowed,
      paused: activity.paused,
      groups,
      paidSeats,
      revenue: revenue.get(activity._id) ?? 0,
      createdAt: new Date(activity.createdAt).toISOString(),
      updatedAt: new Date(activity.updatedAt).toISOString(),
    };
  });
}
