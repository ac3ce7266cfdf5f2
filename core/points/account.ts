/**
 * A member's points as lots: every earning is a lot with its expiry (null: never), and the balance
 * is what is left of the lots. Spending takes from the lot that expires first, so when a lot
 * expires, what is left of it is exactly what the member did not spend of it. Pure: the ledger
 * repository applies these decisions in the same transaction as the ledger entry.
 */
export interface PointLot {
  /** The last moment the points count (end of a Shanghai day); null never expires. */
  expiresAt: Date | null;
  left: number;
}

export interface PointsAccount {
  balance: number;
  lots: PointLot[];
}

export const EMPTY_ACCOUNT: PointsAccount = { balance: 0, lots: [] };

/** Points are whole and bounded so a sum of a member's entries stays exact in a double. */
export const MAX_POINTS_DELTA = 10_000_000;

function expiryTime(lot: Pick<PointLot, 'expiresAt'>): number {
  return lot.expiresAt === null ? Number.POSITIVE_INFINITY : new Date(lot.expiresAt).getTime();
}

function assertAmount(amount: number): void {
  if (!Number.isInteger(amount) || amount <= 0 || amount > MAX_POINTS_DELTA) {
    throw new RangeError(`points amount is a whole number 1..${MAX_POINTS_DELTA}, got ${amount}`);
  }
}

/**
 * The account as stored, made whole: lots sorted by expiry with equal expiries joined and empty
 * lots dropped, fitted to the stored balance (the balance is what the member was told): lots short
 * of it gain one that never expires (a balance written before lots existed, or by hand), lots
 * beyond it lose their soonest points.
 */
export function normalizeAccount(stored: { points?: number; pointLots?: ReadonlyArray<PointLot> | null }): PointsAccount {
  const balance = Math.max(0, Number(stored.points ?? 0));
  return fitLots(joinLots(stored.pointLots ?? []), balance);
}

/** The lots made to hold exactly `balance`. */
export function fitLots(lots: PointLot[], balance: number): PointsAccount {
  const held = lots.reduce((sum, lot) => sum + lot.left, 0);
  if (held < balance) return { balance, lots: joinLots([...lots, { expiresAt: null, left: balance - held }]) };
  let extra = held - balance;
  const fitted: PointLot[] = [];
  for (const lot of lots) {
    const drop = Math.min(extra, lot.left);
    extra -= drop;
    if (lot.left > drop) fitted.push({ expiresAt: lot.expiresAt, left: lot.left - drop });
  }
  return { balance, lots: fitted };
}

function joinLots(lots: ReadonlyArray<PointLot>): PointLot[] {
  const byTime = new Map<number, PointLot>();
  for (const lot of lots) {
    if (!(lot.left > 0)) continue;
    const time = expiryTime(lot);
    const same = byTime.get(time);
    if (same) same.left += lot.left;
    else byTime.set(time, { expiresAt: lot.expiresAt === null ? null : new Date(lot.expiresAt), left: lot.left });
  }
  return [...byTime.entries()].sort(([a], [b]) => a - b).map(([, lot]) => lot);
}

export function earnPoints(account: PointsAccount, amount: number, expiresAt: Date | null): PointsAccount {
  assertAmount(amount);
  return addLots(account, [{ expiresAt, left: amount }]);
}

/** Lots given back (an exchange that failed, a merge) keep the expiries they had. */
export function addLots(account: PointsAccount, lots: ReadonlyArray<PointLot>): PointsAccount {
  const added = lots.reduce((sum, lot) => sum + lot.left, 0);
  return { balance: account.balance + added, lots: joinLots([...account.lots, ...lots]) };
}

export interface Spent {
  account: PointsAccount;
  /** What each lot gave, soonest expiry first: a return gives these back with their expiries. */
  consumed: PointLot[];
}

/** Spends from the soonest-expiring lots; null when the balance is short (nothing is spent). */
export function spendPoints(account: PointsAccount, amount: number): Spent | null {
  assertAmount(amount);
  if (amount > account.balance) return null;
  let owed = amount;
  const lots: PointLot[] = [];
  const consumed: PointLot[] = [];
  for (const lot of account.lots) {
    const take = Math.min(owed, lot.left);
    owed -= take;
    if (take > 0) consumed.push({ expiresAt: lot.expiresAt, left: take });
    if (lot.left > take) lots.push({ expiresAt: lot.expiresAt, left: lot.left - take });
  }
  return { account: { balance: account.balance - amount, lots }, consumed };
}

export interface TakenBack extends Spent {
  taken: number;
  /** What could not be taken because the member had already spent it: forgiven, never a negative balance. */
  unrecovered: number;
}

/** Takes back points granted for something undone (a refund): what is there, never below zero. */
export function takeBackPoints(account: PointsAccount, owed: number): TakenBack {
  assertAmount(owed);
  const taken = Math.min(owed, account.balance);
  if (taken === 0) return { account, consumed: [], taken: 0, unrecovered: owed };
  const spent = spendPoints(account, taken) as Spent;
  return { ...spent, taken, unrecovered: owed - taken };
}

export interface Expired {
  account: PointsAccount;
  /** The lots that ran out at `now`, with what was left of each. */
  expired: PointLot[];
  total: number;
}

export function expirePoints(account: PointsAccount, now: Date): Expired {
  const expired = account.lots.filter((lot) => expiryTime(lot) < now.getTime());
  const total = expired.reduce((sum, lot) => sum + lot.left, 0);
  return {
    account: { balance: account.balance - total, lots: account.lots.filter((lot) => expiryTime(lot) >= now.getTime()) },
    expired,
    total,
  };
}

/** The first lot to expire after `now`, or null. */
export function nextExpiry(account: PointsAccount): PointLot | null {
  return account.lots.find((lot) => lot.expiresAt !== null) ?? null;
}

/**
 * The member fields that store an account: the balance, the lots, the soonest expiry (the expiry
 * and notice jobs query it) and whether that expiry's notice was written (reset when it moves).
 */
export function accountFields(
  member: { pointsNextExpiry?: Date | null; pointsNextNoticed?: boolean },
  account: PointsAccount,
): { points: number; pointLots: PointLot[]; pointsNextExpiry: Date | null; pointsNextNoticed: boolean } {
  const next = nextExpiry(account)?.expiresAt ?? null;
  const before = member.pointsNextExpiry ? new Date(member.pointsNextExpiry).getTime() : null;
  const same = (next ? new Date(next).getTime() : null) === before;
  return {
    points: account.balance,
    pointLots: account.lots,
    pointsNextExpiry: next,
    pointsNextNoticed: same ? Boolean(member.pointsNextNoticed) : false,
  };
}
