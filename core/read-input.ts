/**
 * Readers for operator input that report every problem instead of stopping at the first (what
 * validateTemplate and validateProduct build on): each returns the value, or undefined after
 * reporting why not at its path.
 */
export type Report = (path: string, reason: string) => void;

export const MAX_ID_LENGTH = 64;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Every key not in `allowed` is a problem (this also catches `{ $where: … }` and `$set`); keys longer than `maxShown` are shortened in the report. */
export function rejectUnknownKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  report: Report,
  maxShown = Number.POSITIVE_INFINITY,
): void {
  for (const key of Object.keys(value)) {
    const shown = key.length > maxShown ? `${key.slice(0, maxShown)}…` : key;
    if (!allowed.includes(key)) report(path ? `${path}.${shown}` : shown, 'unknown field');
  }
}

export function readId(value: unknown, path: string, report: Report): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return void report(path, 'an id is non-empty text');
  if (value.length > MAX_ID_LENGTH) return void report(path, `an id is at most ${MAX_ID_LENGTH} characters`);
  // Ids end up in database queries: whitespace is a paste accident, a leading $ an operator.
  if (/\s/.test(value) || value.startsWith('$')) return void report(path, 'an id has no spaces and does not start with $');
  return value;
}

export function readInteger(value: unknown, path: string, min: number, max: number, report: Report, what = 'a number'): number | undefined {
  // typeof rules out strings and operator objects ({ $gt: 0 }); isInteger rules out NaN, ±Infinity and fractions.
  if (typeof value !== 'number' || !Number.isInteger(value)) return void report(path, `${what} must be an integer`);
  if (value < min || value > max) return void report(path, `${what} must be between ${min} and ${max}`);
  return value;
}
