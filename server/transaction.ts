import { database } from './cloud';
import { isMissingDocumentError } from './db-errors';

const CONFLICT = /TransactionConflict|DATABASE_TRANSACTION_CONFLICT/i;

export function isTransactionConflict(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { errMsg, message, code } = error as Record<string, unknown>;
  return CONFLICT.test(`${String(errMsg ?? '')} ${String(message ?? '')} ${String(code ?? '')}`);
}

/**
 * `db.runTransaction` retries only conflicts reported at commit; a conflict on a write inside
 * the transaction (another transaction holds the document) surfaces as an error. Both mean
 * "someone else got there first": run the whole transaction again, a bounded number of times.
 */
export async function withTransaction<T>(work: (tx: any) => Promise<T>, attempts = 6): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      return (await database().runTransaction(work, 1)) as T;
    } catch (error) {
      if (!isTransactionConflict(error)) throw error;
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 40 * (attempt + 1)));
    }
  }
  throw lastError;
}

/** A document read inside a transaction, or null: wx-server-sdk fails a transaction's get of a missing document ("does not exist"). */
export async function txFind<T>(tx: any, collection: string, id: string): Promise<T | null> {
  try {
    return ((await tx.collection(collection).doc(id).get()).data as T | null) ?? null;
  } catch (error) {
    if (isMissingDocumentError(error)) return null;
    throw error;
  }
}
