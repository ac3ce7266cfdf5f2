import { database } from '../../cloud';
import { COLLECTIONS } from '../../collections';
import { findById, findByIds, insertOnce, updatedCount } from '../../documents';

/**
 * `bargains` and `bargain_tasks`. A task's cuts live on its own document, so every cut rule is one
 * conditional update of one document (see `addCut`): the next cut only where the count is still
 * what the cutter read (so cut i is always the i-th fixed amount and never more than N are made),
 * the cutter is not in `cutterIds` (one cut per member) and is not the owner.
 */
const BARGAINS = COLLECTIONS.bargains;
const TASKS = COLLECTIONS.bargainTasks;

export interface BargainDoc {
  _id: string;
  title: string;
  productId: string;
  skuId: string;
  /** The SKU's price when the bargain was created: what every task starts at (fen). */
  price: number;
  floor: number;
  friends: number;
  startAt: Date;
  endAt: Date;
  taskHours: number;
  /** Tasks that may be started in all, and how many may still start (null: no limit). */
  stock: number | null;
  stockLeft: number | null;
  perMemberLimit: number;
  /** Tasks started so far. */
  started: number;
  /** The last unit taken, and the last reconcile of the stock (`reconcileBargainStock`). */
  lastTakeAt?: Date;
  reconciledAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface CutDoc {
  memberId: string;
  name: string;
  fen: number;
  at: Date;
}

export interface TaskDoc {
  _id: string;
  bargainId: string;
  ownerId: string;
  ownerName: string;
  /** The owner's n-th task in this bargain (1-based): the id is derived from it, so concurrent starts make one. */
  seq: number;
  skuId: string;
  /** The plan, copied from the bargain when the task started: the cuts never change under a task. */
  price: number;
  floor: number;
  friends: number;
  cuts: number;
  cutterIds: string[];
  cutters: CutDoc[];
  expiresAt: Date;
  /** Purchase attempts so far and the order of the latest (a cancelled one lets the next attempt start). */
  attempts: number;
  orderId: string | null;
  /** Set once a paid order of the task is seen: no more cuts, no more purchases. */
  bought: boolean;
  boughtAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export const insertBargain = (doc: BargainDoc) => insertOnce(BARGAINS, doc);
export const findBargain = (id: string) => findById<BargainDoc>(BARGAINS, id);
export const findBargains = (ids: readonly string[]) => findByIds<BargainDoc>(BARGAINS, ids);
export const insertTask = (doc: TaskDoc) => insertOnce(TASKS, doc);
export const findTask = (id: string) => findById<TaskDoc>(TASKS, id);

/** Bargains whose window has not ended, soonest end first. */
export async function findBargainsEndingAfter(now: Date, limit: number): Promise<BargainDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(BARGAINS)
    .where({ endAt: _.gt(now) })
    .orderBy('endAt', 'asc')
    .limit(limit)
    .get()) as unknown as { data: BargainDoc[] };
  return result.data;
}

/** Bargains newest first (the console's list). */
export async function findRecentBargains(limit: number): Promise<BargainDoc[]> {
  const result = (await database().collection(BARGAINS).orderBy('createdAt', 'desc').limit(limit).get()) as unknown as {
    data: BargainDoc[];
  };
  return result.data;
}

/** A member's tasks across bargains, newest first. */
export async function findRecentTasksOf(ownerId: string, limit: number): Promise<TaskDoc[]> {
  const result = (await database().collection(TASKS).where({ ownerId }).orderBy('createdAt', 'desc').limit(limit).get()) as unknown as {
    data: TaskDoc[];
  };
  return result.data;
}

/** A member's tasks in one bargain, oldest first (at most the bargain's per-member limit exist). */
export async function findMemberTasks(bargainId: string, ownerId: string): Promise<TaskDoc[]> {
  const result = (await database().collection(TASKS).where({ ownerId, bargainId }).orderBy('seq', 'asc').limit(100).get()) as unknown as {
    data: TaskDoc[];
  };
  return result.data;
}

/** One unit of the bargain's stock (tasks that may start), by conditional decrement: false when none is left. */
export async function takeBargainUnit(bargainId: string, now: Date): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(BARGAINS)
    .where({ _id: bargainId, stockLeft: _.gte(1) })
    .update({ data: { stockLeft: _.inc(-1), lastTakeAt: now } });
  return updatedCount(result) === 1;
}

export async function giveBackBargainUnit(bargainId: string): Promise<void> {
  const _ = database().command;
  await database()
    .collection(BARGAINS)
    .where({ _id: bargainId, stock: _.neq(null) })
    .update({ data: { stockLeft: _.inc(1) } });
}

export async function countStarted(bargainId: string, now: Date): Promise<void> {
  const _ = database().command;
  await database()
    .collection(BARGAINS)
    .where({ _id: bargainId })
    .update({ data: { started: _.inc(1), updatedAt: now } });
}

/**
 * The cut number `index` (0-based) by `cut.memberId`, once: only while the task still has `index`
 * cuts, has not got this member among its cutters, is not theirs, runs and is not bought. True
 * when this call made the cut; false when anything moved meanwhile (read again and decide again).
 */
export async function addCut(task: Pick<TaskDoc, '_id' | 'ownerId'>, index: number, cut: CutDoc, now: Date): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(TASKS)
    .where({
      _id: task._id,
      cuts: index,
      ownerId: _.neq(cut.memberId),
      cutterIds: _.nin([cut.memberId]),
      expiresAt: _.gt(now),
      bought: false,
    })
    .update({ data: { cuts: _.inc(1), cutterIds: _.push(cut.memberId), cutters: _.push(cut), updatedAt: now } });
  return updatedCount(result) === 1;
}

/**
 * The task's next purchase attempt and its order id, claimed once: only while the task still shows
 * the attempt the caller read, so of two taps at once one places an order and the other answers it.
 */
export async function claimAttempt(taskId: string, seen: number, orderId: string, now: Date): Promise<boolean> {
  const result = await database()
    .collection(TASKS)
    .where({ _id: taskId, attempts: seen, bought: false })
    .update({ data: { attempts: seen + 1, orderId, updatedAt: now } });
  return updatedCount(result) === 1;
}

/** A paid order of the task was seen: the task is closed (once; later calls change nothing). */
export async function markBought(taskId: string, orderId: string, now: Date): Promise<void> {
  await database()
    .collection(TASKS)
    .where({ _id: taskId, bought: false })
    .update({ data: { bought: true, boughtAt: now, orderId, updatedAt: now } });
}

/** Bargains with stock whose last take is older than `quietBefore` and not reconciled since. */
export async function findBargainsToReconcile(quietBefore: Date, limit: number): Promise<BargainDoc[]> {
  const _ = database().command;
  const result = (await database()
    .collection(BARGAINS)
    .where({ lastTakeAt: _.lt(quietBefore) })
    .limit(limit)
    .get()) as unknown as { data: BargainDoc[] };
  return result.data.filter(
    (b) => b.stock !== null && (!b.reconciledAt || new Date(b.reconciledAt).getTime() < new Date(b.lastTakeAt as Date).getTime()),
  );
}

/** Tasks of a bargain: each holds the unit it took. */
export async function countTasks(bargainId: string): Promise<number> {
  const result = (await database().collection(TASKS).where({ bargainId }).count()) as unknown as { total: number };
  return Number(result.total);
}

/** Gives `units` back with a compare-and-set on the stock counted against: false when it moved meanwhile. */
export async function settleBargainStock(bargain: BargainDoc, units: number, now: Date): Promise<boolean> {
  const _ = database().command;
  const result = await database()
    .collection(BARGAINS)
    .where({ _id: bargain._id, stockLeft: bargain.stockLeft, lastTakeAt: bargain.lastTakeAt })
    .update({ data: { stockLeft: _.inc(units), reconciledAt: now } });
  return updatedCount(result) === 1;
}
