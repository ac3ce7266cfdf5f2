import type { MallItemRow } from '../../core/contracts/points-admin';
import { countExchangesByState, type MallItemDoc } from '../points/repository';

/** Items as the console lists them, with their exchanges by state. */
export async function mallItemRows(items: MallItemDoc[]): Promise<MallItemRow[]> {
  const counts = await countExchangesByState(items.map((item) => item._id));
  return items.map((item) => ({
    id: item._id,
    kind: item.kind,
    title: item.title,
    points: item.points,
    cash: item.cash,
    templateId: item.templateId ?? null,
    skuId: item.skuId ?? null,
    stock: item.stock,
    stockLeft: item.stockLeft,
    perMemberLimit: item.perMemberLimit,
    startAt: new Date(item.startAt).toISOString(),
    endAt: new Date(item.endAt).toISOString(),
    paused: item.paused,
    exchanges: counts.get(item._id) ?? {},
    createdAt: new Date(item.createdAt).toISOString(),
    updatedAt: new Date(item.updatedAt).toISOString(),
  }));
}
