import { AdminError } from '../errors';

/**
 * The backend's errors as the SDK receives them: `{ code, message }`. wx-server-sdk maps `code`
 * through its TCB_ERR_CODE table (unknown codes become -501001) and prefixes the message with
 * `<api>:fail <errCode> <text>. `. Messages follow production's `[Category] text. Please check your
 * request, but if the problem persists, contact us.` shape (seen in production logs quoted in the
 * README's "Database" section).
 */
const SUFFIX = 'Please check your request, but if the problem persists, contact us.';

/** -502005 `database collection not exists` — production text from real SDK logs. */
export function collectionNotExists(): AdminError {
  return new AdminError('DATABASE_COLLECTION_NOT_EXIST', `[ResourceNotFound] Db or Table not exist. ${SUFFIX}`);
}

/** `db.createCollection` of a name that exists (management API answers `[CreateTable] Table exist.`). */
export function collectionExists(name: string): AdminError {
  return new AdminError('DATABASE_COLLECTION_ALREADY_EXIST', `[ResourceInUse] Table exist: ${name}. ${SUFFIX}`);
}

/**
 * Duplicate `_id` or unique index violation: -502001 (`database request fail`) with MongoDB's
 * E11000 text, which is what server/db-errors.ts (and production code in general) keys on.
 */
export function duplicateKey(collection: string, index: string, key: Record<string, unknown>): AdminError {
  const parts = Object.entries(key).map(([field, value]) => `${field}: ${formatKeyValue(value)}`);
  return new AdminError(
    'DATABASE_REQUEST_FAILED',
    `E11000 duplicate key error collection: ${collection} index: ${index} dup key: { ${parts.join(', ')} }`,
  );
}

function formatKeyValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Write conflict between transactions (or with a write after the snapshot); runTransaction retries it when
 * commit reports it. Production's words, verbatim (code that matches on them must behave the same here).
 */
export function transactionConflict(): AdminError {
  return new AdminError(
    'DATABASE_TRANSACTION_CONFLICT',
    `[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others. ${SUFFIX}`,
  );
}

/** Unknown, finished or expired (30 s) transaction. Production's code and words, verbatim. */
export function transactionNotExist(): AdminError {
  return new AdminError(
    'DATABASE_TRANSACTION_FAIL',
    `[ResourceUnavailable.TransactionNotExist] Transaction does not exist on the server, transaction must be commit or abort in 30 seconds. ${SUFFIX}`,
  );
}

export function invalidParam(message: string): AdminError {
  return new AdminError('INVALID_PARAM', `[InvalidParameter] ${message}. ${SUFFIX}`);
}

export function invalidOperator(message: string): AdminError {
  return new AdminError('DATABASE_INVALID_OPERRATOR', `[InvalidParameter] ${message}. ${SUFFIX}`);
}

export function requestFailed(message: string): AdminError {
  return new AdminError('DATABASE_REQUEST_FAILED', `[FailedOperation] ${message}. ${SUFFIX}`);
}
