import { findActivity, listAllActivities } from '../groupbuy/repository';
import { groupBuyRows } from './group-buy-row';

/** `listGroupBuys`: every activity (newest first, at most 200), or one, with groups by state and revenue. */
export async function listGroupBuys(request: { activityId?: string }) {
  const activities = request.activityId ? [await findActivity(request.activityId)].filter((a) => a !== null) : await listAllActivities(200);
  return { activities: await groupBuyRows(activities) };
}
