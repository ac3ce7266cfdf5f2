import { EJSON, ObjectId } from 'bson';
import type { BrowseAnswer, BrowseRow, DocAnswer } from '../client';
import type { EmulatorContext } from '../context';
import { AdminError } from '../errors';
import { HttpError, readJsonObject, route } from '../http';
import { type Doc, idKey, normalize } from './ejson';
import type { DatabaseEngine } from './engine';
import { badKey } from './transfer';

/**
 * Server-side paging of one collection for the web UI (and anyone else): a page of documents, with a
 * filter and a sort answered by sqlite over the stored EJSON text. A page costs one statement with a
 * LIMIT; only its rows are decoded in JS. Pages follow each other by keyset (`after`, the last row's sort
 * key and rowid), so page 2,000 costs what page 2 does when the sort is insertion order or `_id`.
 *
 * The filter is a small subset of the query language, compiled to SQL with bound parameters: top-level or
 * dotted fields compared to scalars. Anything else (`$where`, `$expr`, sub-document equality, ...) is a 400
 * naming what is allowed, never passed on.
 */

export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 200;
/** `skip` jumps by SQL OFFSET: sqlite still steps over those rows, so it is bounded; `after` is not. */
export const SKIP_MAX = 10_000;
const FILTER_MAX_CHARS = 10_000;
const FILTER_MAX_TERMS = 50;
const FILTER_MAX_DEPTH = 4;
const IN_MAX = 100;
const REGEX_MAX = 200;

const COMPARISONS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$regex', '$options'] as const;
const LOGICAL = ['$and', '$or'] as const;
/** EJSON wrappers that stand for one scalar value (see `scalar`). */
const VALUE_WRAPPERS = new Set(['$date', '$oid', '$numberInt', '$numberLong', '$numberDouble']);

const bad = (message: string) => new HttpError(400, message);

/** `a.b.c` with plain segments only: it becomes a sqlite JSON path literal, so nothing in it may need quoting. */
function fieldPath(field: unknown, what: string): string[] {
  if (typeof field !== 'string' || field.length === 0 || field.length > 200) throw bad(`${what} must be a field name (1–200 characters)`);
  const parts = field.split('.');
  if (parts.length > 8 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) {
    throw bad(`${what} ${JSON.stringify(field)} is not a field path: segments of letters, digits, _ or -, joined by dots (at most 8)`);
  }
  return parts;
}

const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;
const jsonPath = (parts: string[], ...more: string[]) => sqlString(`$${[...parts, ...more].map((part) => `."${part}"`).join('')}`);

/**
 * A field's value as sqlite compares it: canonical EJSON wraps numbers, dates and ObjectIds in objects,
 * so those are unwrapped (numbers and dates to numbers, ObjectIds to their hex); booleans are 1 / 0.
 */
function valueSql(parts: string[]): string {
  const at = (...more: string[]) => `json_extract(body,${jsonPath(parts, ...more)})`;
  return `(CASE json_type(body,${jsonPath(parts)}) WHEN 'object' THEN coalesce(CAST(${at('$numberInt')} AS INTEGER), CAST(${at(
    '$numberLong',
  )} AS INTEGER), CAST(${at('$numberDouble')} AS REAL), CAST(${at('$date', '$numberLong')} AS INTEGER), ${at('$oid')}, ${at()}) WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE ${at()} END)`;
}

const typeSql = (parts: string[]) => `json_type(body,${jsonPath(parts)})`;

type Scalar =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string; oid?: boolean }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

/** A filter value (relaxed EJSON) as one comparable scalar, or a 400. */
function scalar(raw: unknown, where: string): Scalar {
  if (raw === null) return { kind: 'null' };
  if (typeof raw === 'boolean') return { kind: 'boolean', value: raw };
  if (typeof raw === 'string') return { kind: 'string', value: raw };
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw bad(`${where}: numbers must be finite`);
    return { kind: 'number', value: raw };
  }
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const keys = Object.keys(raw);
    if (keys.length === 1 && VALUE_WRAPPERS.has(keys[0])) {
      let value: unknown;
      try {
        value = EJSON.deserialize(raw as Doc, { relaxed: true });
      } catch (error) {
        throw bad(`${where}: ${(error as Error).message}`);
      }
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw bad(`${where}: not a valid $date`);
        return { kind: 'number', value: value.getTime() };
      }
      if (value instanceof ObjectId) return { kind: 'string', value: value.toHexString(), oid: true };
      if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'number', value };
      throw bad(`${where}: ${JSON.stringify(raw)} is not a comparable value`);
    }
  }
  throw bad(
    `${where}: compare with a string, a number, true/false, null, {"$date": ...} or {"$oid": ...}; sub-documents and arrays are not compared (use a dotted field)`,
  );
}

interface Compiled {
  sql: string;
  params: Array<string | number>;
}

class FilterCompiler {
  private terms = 0;
  /** A necessary condition an index can serve: `_id` (the primary key) or a string equal to an indexed field. */
  indexable = false;

  /** `indexed`: the first field of each declared index of the collection. */
  constructor(private readonly indexed: ReadonlySet<string>) {}

  /** `necessary`: every match must meet this filter (top level, or a branch of a necessary $and; not an $or's branch). */
  compile(filter: unknown, depth = 0, necessary = true): Compiled {
    if (!filter || typeof filter !== 'object' || Array.isArray(filter)) throw bad('filter must be a JSON object');
    if (depth > FILTER_MAX_DEPTH) throw bad(`filter nests $and / $or deeper than ${FILTER_MAX_DEPTH}`);
    const parts: Compiled[] = [];
    for (const [key, value] of Object.entries(filter)) {
      if (++this.terms > FILTER_MAX_TERMS) throw bad(`filter has more than ${FILTER_MAX_TERMS} conditions`);
      if (key.startsWith('$')) {
        if (!(LOGICAL as readonly string[]).includes(key)) {
          throw bad(`filter operator ${key} is not supported here; top level takes fields, $and and $or`);
        }
        if (!Array.isArray(value) || value.length === 0 || value.length > 20) throw bad(`${key} takes an array of 1–20 filters`);
        const branches = value.map((branch) => this.compile(branch, depth + 1, necessary && key === '$and'));
        parts.push({
          sql: `(${branches.map((branch) => branch.sql).join(key === '$and' ? ' AND ' : ' OR ')})`,
          params: branches.flatMap((branch) => branch.params),
        });
        continue;
      }
      parts.push(this.field(fieldPath(key, 'filter field'), key, value, necessary));
    }
    if (parts.length === 0) return { sql: '1', params: [] };
    return { sql: parts.map((part) => part.sql).join(' AND '), params: parts.flatMap((part) => part.params) };
  }

  private field(parts: string[], name: string, condition: unknown, necessary: boolean): Compiled {
    const mark = (value: Scalar) => {
      const field = parts.join('.');
      if (necessary && (field === '_id' || (this.indexed.has(field) && value.kind === 'string' && !value.oid))) this.indexable = true;
      return value;
    };
    const isOperators =
      condition !== null &&
      typeof condition === 'object' &&
      !Array.isArray(condition) &&
      Object.keys(condition).length > 0 &&
      Object.keys(condition).some((key) => key.startsWith('$')) &&
      !(Object.keys(condition).length === 1 && VALUE_WRAPPERS.has(Object.keys(condition)[0]));
    if (!isOperators) return this.equals(parts, mark(scalar(condition, `filter ${name}`)), false);
    const ops = condition as Record<string, unknown>;
    const keys = Object.keys(ops);
    const unknown = keys.find((key) => !(COMPARISONS as readonly string[]).includes(key));
    if (unknown) {
      throw bad(`filter ${name}: operator ${unknown} is not supported here; use ${COMPARISONS.join(', ')}`);
    }
    if ('$options' in ops && !('$regex' in ops)) throw bad(`filter ${name}: $options needs $regex`);
    const out: Compiled[] = [];
    for (const op of keys) {
      const value = ops[op];
      const where = `filter ${name}.${op}`;
      if (op === '$options') continue;
      if (op === '$eq') out.push(this.equals(parts, mark(scalar(value, where)), false));
      else if (op === '$ne') out.push(this.equals(parts, scalar(value, where), true));
      else if (op === '$in' || op === '$nin') {
        if (!Array.isArray(value) || value.length === 0 || value.length > IN_MAX)
          throw bad(`${where} takes an array of 1–${IN_MAX} values`);
        const each = value.map((item) => this.equals(parts, scalar(item, where), false));
        const any = `(${each.map((item) => item.sql).join(' OR ')})`;
        out.push({ sql: op === '$in' ? any : `NOT ${any}`, params: each.flatMap((item) => item.params) });
      } else if (op === '$exists') {
        if (typeof value !== 'boolean') throw bad(`${where} takes true or false`);
        out.push({ sql: `${typeSql(parts)} IS ${value ? 'NOT ' : ''}NULL`, params: [] });
      } else if (op === '$regex') {
        const flags = ops.$options ?? '';
        if (typeof value !== 'string' || value.length > REGEX_MAX) throw bad(`${where} takes a pattern of at most ${REGEX_MAX} characters`);
        if (typeof flags !== 'string' || !/^[imsu]*$/.test(flags)) throw bad(`filter ${name}.$options takes flags among i, m, s, u`);
        try {
          new RegExp(value, flags);
        } catch (error) {
          throw bad(`${where}: ${(error as Error).message}`);
        }
        // Strings only, as in MongoDB: json_extract of anything else would be its JSON text.
        out.push({
          sql: `(${typeSql(parts)} = 'text' AND emu_regexp(?, ?, json_extract(body,${jsonPath(parts)})))`,
          params: [value, flags],
        });
      } else {
        const bound = scalar(value, where);
        if (bound.kind !== 'number' && bound.kind !== 'string') throw bad(`${where} takes a string, a number or a $date`);
        const sign = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[op as '$gt'];
        // Only values of the bound's type: sqlite would rank every string above every number.
        const types = bound.kind === 'number' ? "('integer','real')" : "('text')";
        const v = valueSql(parts);
        out.push({ sql: `(typeof(${v}) IN ${types} AND ${v} ${sign} ?)`, params: [bound.value] });
      }
    }
    return { sql: `(${out.map((item) => item.sql).join(' AND ')})`, params: out.flatMap((item) => item.params) };
  }

  /** `field = value` (or `!=`, which, as in MongoDB, also matches documents without the field). */
  private equals(parts: string[], value: Scalar, negate: boolean): Compiled {
    let compiled: Compiled;
    if (value.kind === 'null') compiled = { sql: `coalesce(${typeSql(parts)}, 'null') = 'null'`, params: [] };
    else if (value.kind === 'boolean') compiled = { sql: `coalesce(${typeSql(parts)} = '${value.value}', 0)`, params: [] };
    else if (parts.length === 1 && parts[0] === '_id') {
      // The primary key: `_id` equality is a seek, not a scan.
      compiled = { sql: 'id = ?', params: [idKey(value.kind === 'string' && value.oid ? new ObjectId(value.value) : value.value)] };
    } else if (value.kind === 'string' && !value.oid) {
      // The same expression as a declared index (store.ts), so sqlite can use it for a top-level field.
      compiled = { sql: `(json_extract(body,${jsonPath(parts)}) = ? AND ${typeSql(parts)} = 'text')`, params: [value.value] };
    } else compiled = { sql: `coalesce(${valueSql(parts)} = ?, 0)`, params: [value.value] };
    return negate ? { sql: `NOT (${compiled.sql})`, params: compiled.params } : compiled;
  }
}

interface Sort {
  field: string | null;
  desc: boolean;
}

type Cursor = [field: string | null, desc: boolean, key: string | number | null, rowid: number];

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(text: string, sort: Sort): Cursor {
  const refused = bad('"after" is not a cursor this route handed out (take "next" of the previous page)');
  if (text.length > 20_000) throw refused;
  let cursor: unknown;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw refused;
  }
  if (!Array.isArray(cursor) || cursor.length !== 4) throw refused;
  const [field, desc, key, rowid] = cursor;
  if (
    !(field === null || typeof field === 'string') ||
    typeof desc !== 'boolean' ||
    !(key === null || typeof key === 'string' || (typeof key === 'number' && Number.isFinite(key))) ||
    !Number.isSafeInteger(rowid) ||
    rowid < 0
  ) {
    throw refused;
  }
  if (field !== sort.field || desc !== sort.desc) throw bad('"after" belongs to another sort: start again from the first page');
  return [field, desc, key, rowid];
}

function intParam(url: URL, name: string, min: number, max: number, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw bad(
      `"${name}" must be an integer from ${min} to ${max}, not ${JSON.stringify(raw.slice(0, 40))}${
        name === 'skip' ? ' (page further with "after")' : ''
      }`,
    );
  }
  return Number(raw);
}

/** A document as the UI shows it: relaxed EJSON, so dates, ObjectIds and other BSON types keep their type. */
function relaxed(body: string): Doc {
  return EJSON.serialize(EJSON.parse(body, { relaxed: false }), { relaxed: true }) as Doc;
}

export function registerBrowseRoutes(ctx: EmulatorContext, engine: DatabaseEngine): void {
  const db = engine.store.db;
  // Compiled patterns were checked by the filter compiler; this cache only saves recompiling per row.
  const patterns = new Map<string, RegExp>();
  db.function('emu_regexp', { deterministic: true }, (pattern: unknown, flags: unknown, value: unknown) => {
    if (typeof value !== 'string' || typeof pattern !== 'string' || typeof flags !== 'string') return 0;
    const key = `${flags}/${pattern}`;
    let regex = patterns.get(key);
    if (!regex) {
      if (patterns.size > 100) patterns.clear();
      regex = new RegExp(pattern, flags);
      patterns.set(key, regex);
    }
    return regex.test(value) ? 1 : 0;
  });

  const requireCollection = (name: string) => {
    if (!engine.hasCollection(name)) throw new HttpError(404, `no collection ${name}`);
  };

  ctx.route(
    route('GET', '/_emu/db/:collection/docs', ({ url, params }): BrowseAnswer => {
      const started = performance.now();
      const coll = params.collection;
      requireCollection(coll);
      const limit = intParam(url, 'limit', 1, PAGE_MAX, PAGE_DEFAULT);
      const skip = intParam(url, 'skip', 0, SKIP_MAX, 0);
      const order = url.searchParams.get('order') ?? 'asc';
      if (order !== 'asc' && order !== 'desc') throw bad(`"order" must be asc or desc, not ${JSON.stringify(order.slice(0, 40))}`);
      const sortParam = url.searchParams.get('sort');
      const sort: Sort = { field: sortParam ? fieldPath(sortParam, '"sort"').join('.') : null, desc: order === 'desc' };

      let filter: Compiled = { sql: '1', params: [] };
      let indexable = false;
      const filterText = url.searchParams.get('filter');
      if (filterText && filterText.trim() !== '' && filterText.trim() !== '{}') {
        if (filterText.length > FILTER_MAX_CHARS) throw bad(`"filter" is over ${FILTER_MAX_CHARS} characters`);
        let parsed: unknown;
        try {
          parsed = JSON.parse(filterText);
        } catch (error) {
          throw bad(`"filter" is not JSON: ${(error as Error).message}`);
        }
        const compiler = new FilterCompiler(new Set(engine.indexes(coll).map((index) => Object.keys(index.keys)[0])));
        filter = compiler.compile(parsed);
        indexable = compiler.indexable;
      }

      // The sort key: insertion order (rowid), the primary key for `_id`, or the field's unwrapped value.
      const key = sort.field === null ? null : sort.field === '_id' ? 'id' : valueSql(sort.field.split('.'));
      const dir = sort.desc ? 'DESC' : 'ASC';
      const orderBy = key === null ? `rowid ${dir}` : `${key} ${dir}, rowid ${dir}`;
      // The collection as a literal: sqlite uses a declared (partial) index only when the query names its collection so.
      const where = [`coll = ${sqlString(coll)}`, filter.sql];
      const args: Array<string | number | null> = [...filter.params];
      const afterText = url.searchParams.get('after');
      if (afterText) {
        const [, , after, rowid] = decodeCursor(afterText, sort);
        const cmp = sort.desc ? '<' : '>';
        if (key === null) {
          where.push(`rowid ${cmp} ?`);
          args.push(rowid);
        } else if (after === null) {
          // NULLs sort first ascending and last descending in sqlite.
          where.push(sort.desc ? `(${key} IS NULL AND rowid < ?)` : `((${key} IS NULL AND rowid > ?) OR ${key} IS NOT NULL)`);
          args.push(rowid);
        } else {
          where.push(`(${key} ${cmp} ? OR (${key} = ? AND rowid ${cmp} ?)${sort.desc ? ` OR ${key} IS NULL` : ''})`);
          args.push(after, after, rowid);
        }
      }
      const sortKey = key === null ? 'NULL' : key;
      // In insertion order without an index to serve the filter, a walk of the table in rowid order stops at the
      // page's last row; sqlite would otherwise read the collection's whole primary key and sort it.
      const hint = key === null && !indexable ? ' NOT INDEXED' : '';
      const sql = `SELECT rowid AS r, id, body, ${sortKey} AS k FROM docs${hint} WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT ? OFFSET ?`;
      let rows: Array<{ r: number; id: string; body: string; k: string | number | null }>;
      let plan: string[];
      try {
        rows = db.prepare<unknown[], { r: number; id: string; body: string; k: string | number | null }>(sql).all(...args, limit + 1, skip);
        // How sqlite answered (an index, the primary key, a walk in rowid order, a sort): shown by the UI, checked by tests.
        plan = db
          .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...args, limit + 1, skip)
          .map((step) => step.detail);
      } catch (error) {
        throw bad(`the filter could not run: ${(error as Error).message}`);
      }
      const more = rows.length > limit;
      const page = more ? rows.slice(0, limit) : rows;
      const last = page[page.length - 1];
      const docs: BrowseRow[] = page.map((row) => ({ key: row.id, doc: relaxed(row.body) }));
      const total = engine.store.count(coll);
      // Counted on the first page only: a count is a pass over the collection, the next pages are not.
      const matched =
        filter.sql === '1'
          ? total
          : afterText
            ? null
            : (db
                .prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM docs WHERE coll = ${sqlString(coll)} AND ${filter.sql}`)
                .get(...filter.params)?.n ?? 0);
      return {
        collection: coll,
        total,
        matched,
        docs,
        next: more && last ? encodeCursor([sort.field, sort.desc, last.k, last.r]) : null,
        plan,
        elapsedMs: Math.round((performance.now() - started) * 100) / 100,
      };
    }),
  );

  /** `?id=<JSON>`: the `_id` as JSON (a string in quotes, a number, or `{"$oid": ...}`). */
  const idFrom = (url: URL): unknown => {
    const raw = url.searchParams.get('id');
    if (raw === null) throw bad('"id" is required: the _id as JSON ("abc" in quotes, 7, or {"$oid": "..."})');
    try {
      const id = normalize(EJSON.parse(raw, { relaxed: true }));
      if (typeof id === 'string' || typeof id === 'number' || id instanceof ObjectId) return id;
    } catch {
      // answered below
    }
    throw bad(`"id" must be the _id as JSON ("abc" in quotes, 7, or {"$oid": "..."}), not ${JSON.stringify(raw.slice(0, 80))}`);
  };

  ctx.route(
    route('GET', '/_emu/db/:collection/doc', ({ url, params }): DocAnswer => {
      requireCollection(params.collection);
      const key = idKey(idFrom(url));
      const body = engine.store.row(params.collection, key);
      if (body === undefined) throw new HttpError(404, `no document with _id ${key} in ${params.collection}`);
      return { key, doc: relaxed(body) };
    }),
  );

  ctx.route(
    route('POST', '/_emu/db/:collection/doc', async ({ req, params }): Promise<DocAnswer> => {
      requireCollection(params.collection);
      const body = await readJsonObject<{ doc?: unknown }>(req);
      const raw = body.doc;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad('send { "doc": { "_id": ..., ... } } (relaxed EJSON)');
      const problem = badKey(raw);
      if (problem) throw bad(`key ${problem.path}: ${problem.reason}`);
      let doc: Doc;
      try {
        doc = normalize(EJSON.deserialize(raw as Doc, { relaxed: true }));
      } catch (error) {
        throw bad(`not an EJSON document: ${(error as Error).message}`);
      }
      const id = doc._id;
      if (!(typeof id === 'string' || typeof id === 'number' || id instanceof ObjectId)) {
        throw bad('"doc._id" is required (a string, a number or {"$oid": ...}): it names the document replaced');
      }
      const key = idKey(id);
      if (engine.store.row(params.collection, key) === undefined)
        throw new HttpError(404, `no document with _id ${key} in ${params.collection}`);
      try {
        engine.modify(params.collection, { query: { _id: id }, data: doc, multi: false, merge: false, upsert: false });
      } catch (error) {
        // A unique index refused it: the database's own message (E11000 ...).
        if (error instanceof AdminError) throw new HttpError(409, error.message);
        throw error;
      }
      return { key, doc: relaxed(engine.store.row(params.collection, key) as string) };
    }),
  );
}
