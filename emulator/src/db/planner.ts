import type { Doc } from './ejson';
import { type DocIndex, type IndexFacts, type IndexRead, type RangeOp, servableField } from './store';

/**
 * Reads served by a declared index (outside transactions): which rows of a collection a query can only
 * match. The rows are candidates only — the engine still runs the whole query on each with mingo — so a
 * plan may select more rows than match, never fewer.
 */

const RANGE_OPS: RangeOp[] = ['$gt', '$gte', '$lt', '$lte'];

/** The declared indexes sqlite keeps: each one's top-level fields up to the first it cannot serve. */
export function servedIndexes(collections: Map<string, Array<{ name: string; keys: Record<string, unknown> }>>): DocIndex[] {
  const out: DocIndex[] = [];
  for (const [coll, specs] of collections) {
    const names = new Set<string>();
    for (const spec of specs) {
      if (coll.includes('\u0000') || spec.name.includes('\u0000') || names.has(spec.name)) continue;
      names.add(spec.name);
      const fields: string[] = [];
      for (const field of Object.keys(spec.keys)) {
        if (!servableField(field)) break;
        fields.push(field);
      }
      if (fields.length) out.push({ coll, name: spec.name, fields });
    }
  }
  return out;
}

function isOperatorObject(value: unknown): value is Doc {
  if (!value || typeof value !== 'object' || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

/** A string sqlite holds as the same text (a lone surrogate would be bound as U+FFFD). */
const bindable = (value: unknown): value is string => typeof value === 'string' && !/\p{Cs}/u.test(value);

/**
 * What a query implies, read from its top-level conditions and those of a top-level `$and` (recursively):
 * a string each field equals (`{ f: 'x' }`, `{ f: { $eq: 'x' } }`) and string bounds on `_id`.
 */
function implied(query: Doc, equals: Map<string, string>, bounds: Array<{ op: RangeOp; value: string }>): void {
  for (const [field, condition] of Object.entries(query)) {
    if (field === '$and') {
      if (Array.isArray(condition)) {
        for (const branch of condition) if (branch && typeof branch === 'object' && !Array.isArray(branch)) implied(branch, equals, bounds);
      }
      continue;
    }
    if (field.startsWith('$')) continue;
    if (bindable(condition)) {
      if (!equals.has(field)) equals.set(field, condition);
      continue;
    }
    if (!isOperatorObject(condition)) continue;
    if (bindable(condition.$eq) && !equals.has(field)) equals.set(field, condition.$eq);
    // One bound per operator (any subset of the bounds is implied): a bounded number of statement shapes.
    if (field === '_id') {
      for (const op of RANGE_OPS)
        if (bindable(condition[op]) && !bounds.some((bound) => bound.op === op)) bounds.push({ op, value: condition[op] });
    }
  }
}

/**
 * The `_id` direction of a sort, when the matches' order is exactly that: keys on fields the query pins to
 * one string are constant among the matches and skipped; the first other key must be `_id` (unique, so any
 * key after it changes nothing).
 */
function idDirection(order: Record<string, unknown> | undefined, constant: (field: string) => boolean): 'asc' | 'desc' | undefined {
  if (!order) return undefined;
  const entries = Object.entries(order);
  if (entries.length === 0 || entries.some(([, value]) => value !== 1 && value !== -1)) return undefined;
  for (const [field, value] of entries) {
    if (field === '_id') return value === 1 ? 'asc' : 'desc';
    if (!constant(field)) return undefined;
  }
  return undefined;
}

/**
 * The index read for a query, or undefined (scan). Each index is worth the longest prefix of its fields
 * the query sets equal to strings, skipping none and stopping at a multikey field (an array element
 * equal to the string matches too, and json_extract of an array is its JSON text). The field after that
 * prefix, when it is `_id` and every `_id` of the collection is plain, also takes the query's string
 * bounds on `_id` and, for a sort by `_id` (`order`, given by `find` only), the read's order: those rows
 * are read lazily and the engine stops at skip + limit matches. The longest prefix wins; on a tie, one
 * that orders, then one that bounds; then the first declared.
 */
export function planRead(indexes: DocIndex[], query: Doc, facts: IndexFacts, order?: Record<string, unknown>): IndexRead | undefined {
  const equals = new Map<string, string>();
  const bounds: Array<{ op: RangeOp; value: string }> = [];
  implied(query, equals, bounds);
  const exact = (field: string) => equals.has(field) && !facts.multikey.has(field);
  const direction = idDirection(order, exact);
  let best: { read: IndexRead; score: number } | undefined;
  for (const index of indexes) {
    let prefix = 0;
    while (prefix < index.fields.length && exact(index.fields[prefix])) prefix += 1;
    const byId = index.fields[prefix] === '_id' && facts.plainIds;
    const range = byId ? bounds : [];
    const ordered = byId && direction !== undefined;
    if (prefix === 0 && range.length === 0 && !ordered) continue;
    const score = prefix * 4 + (ordered ? 2 : 0) + (range.length ? 1 : 0);
    if (best && best.score >= score) continue;
    const values = index.fields.slice(0, prefix).map((field) => equals.get(field) as string);
    best = { read: { index, equals: values, range, order: ordered ? direction : 'insertion' }, score };
  }
  return best?.read;
}
