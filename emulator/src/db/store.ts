import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EmulatorOptions, StateStore } from '../context';

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
  }
  update(coll: string, id: string, body: string): void {
    this.stmts.update.run(body, coll, id);
  }
  delete(coll: string, id: string): void {
    this.stmts.delete.run(coll, id);
  }
  count(coll: string): number {
    return this.stmts.count.get(coll)?.n ?? 0;
  }
  clearCollection(coll: string): void {
    this.stmts.clearColl.run(coll);
  }
  clearAll(): void {
    this.db.exec('DELETE FROM docs; DELETE FROM collections;');
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
