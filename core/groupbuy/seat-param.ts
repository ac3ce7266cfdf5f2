/**
 * The checkout page's query for one group-buy seat (core/pages.ts CHECKOUT_PAGE): `activity` and
 * `sku` to open a group, `group` and `sku` to join one. A seat is always one unit at the group price.
 */
export type GroupSeat = { kind: 'open'; activityId: string; skuId: string } | { kind: 'join'; groupId: string; skuId: string };

export function formatSeatParams(seat: GroupSeat): Record<string, string> {
  return seat.kind === 'open' ? { activity: seat.activityId, sku: seat.skuId } : { group: seat.groupId, sku: seat.skuId };
}

/**
 * The seat a checkout query asks for, or null when it names none or is ambiguous (both an activity
 * and a group): a hand-edited link must not buy something else. The server still checks every id.
 */
export function parseSeatParams(params: Record<string, string | undefined>): GroupSeat | null {
  const skuId = params.sku?.trim();
  const activityId = params.activity?.trim();
  const groupId = params.group?.trim();
  if (!skuId || Boolean(activityId) === Boolean(groupId)) return null;
  return activityId ? { kind: 'open', activityId, skuId } : { kind: 'join', groupId: groupId as string, skuId };
}
