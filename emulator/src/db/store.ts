import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EmulatorOptions, StateStore } from '../context';

/** A declared index as sqlite keeps it: a partial expression index over the collection's rows of `docs`. */
export interface DocIndex {
  coll: string;
  name: string;
  /** Top-level fields, in the declared order, up to the first one that cannot be served (see `servableField`). */
  fields: string[];
}

export type RangeOp = '$gt' | '$gte' | '$lt' | '$lte';

/**
 * One read by index: the index's first `equals.length` fields equal these strings; the next field within
 * `range`; rows in insertion order, or in that next field's order (then read lazily, see `indexStream`).
 */
export interface IndexRead {
  index: DocIndex;
  equals: string[];
  range: Array<{ op: RangeOp; value: string }>;
  order: 'insertion' | 'asc' | 'desc';
}

/** What the rows of an indexed collection hold at its indexed fields (see `indexFacts`). */
export interface IndexFacts {
  /** Fields that are (or may be, conservatively) an array in some document: MongoDB's multikey. */
  multikey: ReadonlySet<string>;
  /** Every `_id` is a string of characters below U+D800 (no escapes): see `PLAIN_ID`. */
  plainIds: boolean;
}

const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;
const sqlName = (value: string) => `"${value.replace(/"/g, '""')}"`;

/**
 * A field an index can serve: top-level (no dot, no leading `$`), and written as-is both in the JSON text
 * (nothing JSON escapes) and in a quoted sqlite JSON path label (no `"`, no backslash).
 */
export function servableField(field: string): boolean {
  // JSON.stringify escapes `"`, backslashes, control characters and lone surrogates.
  return field.length > 0 && !field.startsWith('$') && !field.includes('.') && JSON.stringify(field) === `"${field}"`;
}

/** The expression of a top-level field: the same text in the index and in every query, or sqlite does not match them. */
function fieldSql(field: string): string {
  return `json_extract(body,${sqlString(`$."${field}"`)})`;
}

/** `emu_ix_<coll>_<name>_<hash>`: the hash keeps `a`/`b_c` and `a_b`/`c` apart. */
function indexName(index: DocIndex): string {
  const hash = createHash('sha1')
    .update(JSON.stringify([index.coll, index.name]))
    .digest('hex')
    .slice(0, 8);
  return `emu_ix_${index.coll}_${index.name}_${hash}`;
}

/**
 * The collection is a literal, not a parameter, in the index and in every read by it: sqlite uses a partial
 * index only when it can prove the query's WHERE implies the index's.
 */
function createIndexSql(index: DocIndex): string {
  return `CREATE INDEX ${sqlName(indexName(index))} ON docs(${index.fields.map(fieldSql).join(', ')}) WHERE coll = ${sqlString(index.coll)}`;
}

/**
 * The key of a string `_id` whose order is the same in MongoDB, sqlite and mingo: MongoDB and sqlite's BINARY
 * collation compare strings as UTF-8 bytes (code point order), mingo as JS does (UTF-16 code units); the two
 * differ only for characters from U+D800 up (surrogate pairs against U+E000–U+FFFF). JSON escapes are refused
 * too (json_extract's value would not be the key's text), and any other type (numbers, ObjectIds).
 */
const PLAIN_ID = /^"[^"\\\ud800-\uffff]*"$/;
/** The same test in SQL, for rows already stored (valid UTF-8 holds no surrogates: U+E000 and up is the rest). */
const ODD_ID_SQL = `(id NOT GLOB '"*"' OR instr(id, '\\') > 0 OR id GLOB '*[' || char(57344) || '-' || char(1114111) || ']*')`;

interface Watch {
  /** The collection's indexes (the stored rows are looked at through them). */
  indexes: DocIndex[];
  /** Field → the text an array there starts with in canonical EJSON (`"f":[`). */
  needles: Map<string, string>;
  multikey: Set<string>;
  oddIds: boolean;
  /** The rows stored before this process (or since a reset) were looked at. */
  checked: boolean;
}

/**
 * The one sqlite file of the local cloud: documents (canonical EJSON per row), the list of
 * collections, and a small key/value table other modules persist their state in.
 * better-sqlite3 is synchronous, so every action runs its read-check-write without yielding:
 * concurrent SDK requests cannot interleave inside one action.
 */
export class SqliteStore {
  readonly db: Database.Database;
  private closed = false;
  private readonly stmts;
  /** Per indexed collection: what its writes have shown of the indexed fields (`indexFacts`). */
  private readonly watches = new Map<string, Watch>();
  /** One prepared statement per index read shape (collection, index, equality count, bounds, order). */
  private readonly readStmts = new Map<string, Database.Statement<unknown[], { id: string; body: string }>>();

  constructor(file: string) {
    this.db = new Database(file);
    if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS docs (coll TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (coll, id));
    `);
    this.stmts = {
      kvGet: this.db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?'),
      kvSet: this.db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      kvDelete: this.db.prepare('DELETE FROM kv WHERE key = ?'),
      // A range on the primary key: the prefix up to the prefix followed by the highest code unit.
      kvRange: this.db.prepare<[string, string], { key: string; value: string }>(
        'SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key',
      ),
      collections: this.db.prepare<[], { name: string }>('SELECT name FROM collections ORDER BY name'),
      hasCollection: this.db.prepare<[string], { name: string }>('SELECT name FROM collections WHERE name = ?'),
      addCollection: this.db.prepare('INSERT OR IGNORE INTO collections (name, created_at) VALUES (?, ?)'),
      all: this.db.prepare<[string], { id: string; body: string }>('SELECT id, body FROM docs WHERE coll = ? ORDER BY rowid'),
      get: this.db.prepare<[string, string], { body: string }>('SELECT body FROM docs WHERE coll = ? AND id = ?'),
      some: this.db.prepare<[string, string], { id: string; body: string }>(
        'SELECT id, body FROM docs WHERE coll = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY rowid',
      ),
      insert: this.db.prepare('INSERT INTO docs (coll, id, body) VALUES (?, ?, ?)'),
      update: this.db.prepare('UPDATE docs SET body = ? WHERE coll = ? AND id = ?'),
      delete: this.db.prepare('DELETE FROM docs WHERE coll = ? AND id = ?'),
      count: this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM docs WHERE coll = ?'),
      clearColl: this.db.prepare('DELETE FROM docs WHERE coll = ?'),
    };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /** Runs `fn` in one sqlite transaction (all or nothing on disk). */
  atomic<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  kvGet(key: string): string | undefined {
    return this.stmts.kvGet.get(key)?.value;
  }
  kvSet(key: string, value: string): void {
    this.stmts.kvSet.run(key, value);
  }
  kvDelete(key: string): void {
    this.stmts.kvDelete.run(key);
  }
  kvEntries(prefix: string): Array<{ key: string; value: string }> {
    return this.stmts.kvRange.all(prefix, `${prefix}\uffff`);
  }

  collections(): string[] {
    return this.stmts.collections.all().map((row) => row.name);
  }
  hasCollection(name: string): boolean {
    return this.stmts.hasCollection.get(name) !== undefined;
  }
  addCollection(name: string, at: Date): void {
    this.stmts.addCollection.run(name, at.toISOString());
  }

  rows(coll: string): Array<{ id: string; body: string }> {
    return this.stmts.all.all(coll);
  }
  /** The rows with these ids (the ones that exist), in the same order as `rows`. */
  rowsByIds(coll: string, ids: string[]): Array<{ id: string; body: string }> {
    return ids.length === 0 ? [] : this.stmts.some.all(coll, JSON.stringify(ids));
  }
  row(coll: string, id: string): string | undefined {
    return this.stmts.get.get(coll, id)?.body;
  }
  insert(coll: string, id: string, body: string): void {
    this.stmts.insert.run(coll, id, body);
    this.noteWrite(coll, body, id);
  }
  update(coll: string, id: string, body: string): void {
    this.stmts.update.run(body, coll, id);
    this.noteWrite(coll, body);
  }
  delete(coll: string, id: string): void {
    this.stmts.delete.run(coll, id);
  }
  count(coll: string): number {
    return this.stmts.count.get(coll)?.n ?? 0;
  }
  clearCollection(coll: string): void {
    this.stmts.clearColl.run(coll);
    const watch = this.watches.get(coll);
    if (watch) this.forget(watch);
  }
  clearAll(): void {
    this.db.exec('DELETE FROM docs; DELETE FROM collections;');
    for (const watch of this.watches.values()) this.forget(watch);
  }

  // ---------------------------------------------------------------- indexes

  /**
   * Makes the `emu_ix_*` indexes of `docs` exactly these: missing ones are built, ones whose definition
   * changed are rebuilt, ones no longer declared are dropped. Each collection's indexed fields are watched
   * from now on (`indexFacts`).
   */
  defineIndexes(indexes: DocIndex[]): void {
    const wanted = new Map(indexes.map((index) => [indexName(index), createIndexSql(index)]));
    const existing = this.db
      .prepare<[], { name: string; sql: string | null }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'docs' AND name LIKE 'emu\\_ix\\_%' ESCAPE '\\'",
      )
      .all();
    const kept = new Set<string>();
    this.atomic(() => {
      for (const row of existing) {
        if (wanted.get(row.name) === row.sql) kept.add(row.name);
        else this.db.exec(`DROP INDEX ${sqlName(row.name)}`);
      }
      for (const [name, sql] of wanted) if (!kept.has(name)) this.db.exec(sql);
    });
    for (const index of indexes) {
      let watch = this.watches.get(index.coll);
      if (!watch) {
        watch = { indexes: [], needles: new Map(), multikey: new Set(), oddIds: false, checked: false };
        this.watches.set(index.coll, watch);
      }
      if (!watch.indexes.some((known) => known.name === index.name)) watch.indexes.push(index);
      for (const field of index.fields) {
        if (watch.needles.has(field)) continue;
        watch.needles.set(field, `${JSON.stringify(field)}:[`);
        watch.checked = false;
      }
    }
  }

  /**
   * Which indexed fields of `coll` hold an array somewhere, and whether every `_id` is plain. Writes keep
   * this up to date as they happen (`noteWrite`); the rows stored before are looked at once, here, the
   * first time it is asked (`lookAtStoredRows`).
   */
  indexFacts(coll: string): IndexFacts {
    const watch = this.watches.get(coll);
    if (!watch) return { multikey: new Set(), plainIds: false };
    if (!watch.checked) {
      this.lookAtStoredRows(coll, watch);
      watch.checked = true;
    }
    return { multikey: watch.multikey, plainIds: !watch.oddIds };
  }

  /**
   * Odd ids and arrays among the rows already stored, without reading the documents: the ids from the
   * primary key, the indexed values from the indexes themselves. json_extract of an array is its JSON text,
   * so an array is an indexed value starting with `[` — as is a string starting with `[`: json_type on
   * those rows alone tells them apart.
   */
  private lookAtStoredRows(coll: string, watch: Watch): void {
    if (this.db.prepare(`SELECT 1 FROM docs WHERE coll = ? AND ${ODD_ID_SQL} LIMIT 1`).get(coll)) watch.oddIds = true;
    const seen = new Set<string>();
    for (const index of watch.indexes) {
      const fields = index.fields.filter((field) => !seen.has(field) && !watch.multikey.has(field));
      for (const field of index.fields) seen.add(field);
      if (fields.length === 0) continue;
      const from = `FROM docs INDEXED BY ${sqlName(indexName(index))} WHERE coll = ${sqlString(index.coll)}`;
      const starts = (field: string) => `substr(${fieldSql(field)}, 1, 1) = '['`;
      const flags = this.db
        .prepare<[], Record<string, number | null>>(
          `SELECT ${fields.map((field, i) => `max(${starts(field)}) AS k${i}`).join(', ')} ${from}`,
        )
        .get();
      fields.forEach((field, i) => {
        if (!flags?.[`k${i}`]) return;
        const array = this.db
          .prepare(
            `SELECT 1 FROM docs WHERE rowid IN (SELECT rowid ${from} AND ${starts(field)}) AND json_type(body,${sqlString(`$."${field}"`)}) = 'array' LIMIT 1`,
          )
          .get();
        if (array) watch.multikey.add(field);
      });
    }
  }

  /**
   * Every write of a document passes here. MongoDB marks an index multikey once any document holds an array
   * in an indexed field; so does this, conservatively: canonical EJSON has no spaces, so a top-level array is
   * `"f":[` in the text (an array under the same key deeper in the document marks it too — a mark only costs
   * speed; inside a string the quotes are escaped). Marks stay until a reset.
   */
  private noteWrite(coll: string, body: string, id?: string): void {
    const watch = this.watches.get(coll);
    if (!watch) return;
    for (const [field, needle] of watch.needles) {
      if (!watch.multikey.has(field) && body.includes(needle)) watch.multikey.add(field);
    }
    if (id !== undefined && !watch.oddIds && !PLAIN_ID.test(id)) watch.oddIds = true;
  }

  private forget(watch: Watch): void {
    watch.multikey.clear();
    watch.oddIds = false;
    watch.checked = false;
  }

  /** The statement of an index read; its parameters are `indexParams(read)`. */
  indexSql(read: IndexRead): string {
    const { index, equals, range, order } = read;
    const terms = [`coll = ${sqlString(index.coll)}`, ...equals.map((_value, i) => `${fieldSql(index.fields[i])} = ?`)];
    const next = index.fields[equals.length];
    const ops: Record<RangeOp, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };
    if (range.length || order !== 'insertion') {
      if (next === undefined) throw new Error(`index ${index.name} has no field after ${equals.length}`);
      for (const bound of range) terms.push(`${fieldSql(next)} ${ops[bound.op]} ?`);
    }
    // Strings compare with sqlite's BINARY collation: UTF-8 bytes, MongoDB's order (see PLAIN_ID for mingo's).
    const orderBy = order === 'insertion' ? 'rowid' : `${fieldSql(next)} ${order === 'asc' ? 'ASC' : 'DESC'}`;
    // INDEXED BY: the planner's choice, not sqlite's guess without statistics (it may take a shorter index
    // on the same first field); a statement the index cannot serve fails to prepare instead of scanning.
    return `SELECT id, body FROM docs INDEXED BY ${sqlName(indexName(index))} WHERE ${terms.join(' AND ')} ORDER BY ${orderBy}`;
  }

  indexParams(read: IndexRead): string[] {
    return [...read.equals, ...read.range.map((bound) => bound.value)];
  }

  private indexStatement(read: IndexRead): Database.Statement<unknown[], { id: string; body: string }> {
    const key = JSON.stringify([read.index.coll, read.index.name, read.equals.length, read.range.map((bound) => bound.op), read.order]);
    let stmt = this.readStmts.get(key);
    if (!stmt) {
      stmt = this.db.prepare<unknown[], { id: string; body: string }>(this.indexSql(read));
      this.readStmts.set(key, stmt);
    }
    return stmt;
  }

  /** The rows of an index read, all at once. */
  indexRows(read: IndexRead): Array<{ id: string; body: string }> {
    return this.indexStatement(read).all(...this.indexParams(read));
  }

  /**
   * The rows of an index read one by one: stop early by leaving the loop (the statement is reset). The
   * connection is busy until then: nothing else may run on it in between.
   */
  indexStream(read: IndexRead): IterableIterator<{ id: string; body: string }> {
    return this.indexStatement(read).iterate(...this.indexParams(read));
  }
}

/**
 * One store per emulator instance. index.ts opens the state store before the modules' setup;
 * the database module finds the same handle here (keyed by the options object both receive).
 */
const handles = new WeakMap<EmulatorOptions, SqliteStore>();

export function storeFor(options: EmulatorOptions): SqliteStore {
  const existing = handles.get(options);
  if (existing && !existing.isClosed) return existing;
  let file = ':memory:';
  if (!options.ephemeral) {
    mkdirSync(options.dataDir, { recursive: true });
    file = path.join(options.dataDir, 'cloud.sqlite');
  }
  const store = new SqliteStore(file);
  handles.set(options, store);
  return store;
}

export function stateStoreOn(store: SqliteStore): StateStore {
  return {
    // After stop, late writers (a close hook, a straggling request) must not crash the process.
    get<T>(key: string): T | undefined {
      if (store.isClosed) return undefined;
      const value = store.kvGet(key);
      return value === undefined ? undefined : (JSON.parse(value) as T);
    },
    set(key, value) {
      if (store.isClosed) return;
      store.kvSet(key, JSON.stringify(value ?? null));
    },
    delete(key) {
      if (store.isClosed) return;
      store.kvDelete(key);
    },
    entries<T>(prefix: string): Array<[string, T]> {
      if (store.isClosed) return [];
      return store.kvEntries(prefix).map((row) => [row.key, JSON.parse(row.value) as T]);
    },
  };
}
