import { DuetError } from '../../core/errors';
import { findItem, listItems, updateItem } from '../points/repository';
import { mallItemRows } from './mall-item-row';

export interface UpdateMallItemInput {
  itemId: string;
  title?: string;
  endAt?: string;
  addStock?: number;
  perMemberLimit?: number;
  paused?: boolean;
}

/** `updateMallItem`: what may change while members exchange. Stock is only added (an increment, never a set that races exchanges). */
export async function updateMallItem(input: UpdateMallItemInput, now: Date) {
  const item = await findItem(input.itemId);
  if (!item) throw new DuetError('NOT_FOUND', `mall item ${input.itemId} does not exist`);
  if (input.endAt && new Date(input.endAt).getTime() <= new Date(item.startAt).getTime()) {
    throw new DuetError('INVALID_ARGUMENT', 'endAt: the window ends after it starts');
  }
  await updateItem(item._id, (_) => ({
    ...(input.title ? { title: input.title } : {}),
    ...(input.endAt ? { endAt: new Date(input.endAt) } : {}),
    ...(input.addStock ? { stock: _.inc(input.addStock), stockLeft: _.inc(input.addStock) } : {}),
    ...(input.perMemberLimit ? { perMemberLimit: input.perMemberLimit } : {}),
    ...(input.paused !== undefined ? { paused: input.paused } : {}),
    updatedAt: now,
  }));
  const [row] = await mallItemRows([(await findItem(item._id)) ?? item]);
  return { item: row };
}

export async function listMallItems(input: { itemId?: string }) {
  const items = input.itemId ? [await findItem(input.itemId)].filter((item) => item !== null) : await listItems(1000);
  if (input.itemId && items.length === 0) throw new DuetError('NOT_FOUND', `mall item ${input.itemId} does not exist`);
  return { items: await mallItemRows(items) };
}
