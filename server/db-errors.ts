/**
 * The cloud database reports a unique-key violation (duplicate `_id` or a unique index) as an
 * error whose code or message names the duplicate key. Production and the local cloud agree
 * on the E11000 text; this is the one place that knows it.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { errCode, errMsg, message, code } = error as Record<string, unknown>;
  const text = `${String(errMsg ?? '')} ${String(message ?? '')} ${String(code ?? '')}`;
  return (errCode === -502001 && /duplicate|E11000/i.test(text)) || /E11000|duplicate key/i.test(text);
}

/**
 * A get of a missing document inside a transaction. Production's text for a transaction that is
 * over ("Transaction does not exist on the server ...") says "does not exist" too: that one is a
 * failure of the transaction, never a missing document.
 */
export function isMissingDocumentError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { errMsg, message, code } = error as Record<string, unknown>;
  const text = `${String(errMsg ?? '')} ${String(message ?? '')} ${String(code ?? '')}`;
  return /does not exist/i.test(text) && !/TransactionNotExist|DATABASE_TRANSACTION_FAIL|Transaction does not exist/i.test(text);
}
