import { randomBytes, randomUUID } from 'node:crypto';
import { aggregate as mingoAggregate, find as mingoFind, matcher, update as mingoUpdate } from './operators';
import type { Clock } from '../context';
import { clone, type Doc, decode, encode, idKey } from './ejson';
import * as errors from './errors';
import { planRead, servedIndexes } from './planner';
import type { IndexSpec, Schema } from './schema';
import type { DocIndex, IndexRead, SqliteStore } from './store';

/** Production: a transaction must commit or abort within 30 s. */
export const TRANSACTION_LIFETIME_MS = 30_000;
/** Server-side `get` returns 100 documents unless asked, never more than 1000. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export interface FindOptions {
  order?: Record<string, number>;
  offset?: number;
  limit?: number;
  projection?: Record<string, unknown>;
}

export interface EngineOptions {
  /**
   * Serve reads outside transactions by a declared index when one fits (default true). false: every query
   * that does not name its `_id`s scans the collection (the reference the index reads are tested against).
   */
  indexReads?: boolean;
}

export interface ModifyRequest {
  query: Doc;
  data: Doc;
  multi: boolean;
  merge: boolean;
  upsert: boolean;
}

interface PendingWrite {
  coll: string;
  key: string;
  /** The document after the transaction's writes; null when removed. */
  doc: Doc | null;
}

interface Transaction {
  id: string;
  startedAtMs: number;
  /** Writes committed after this sequence number are invisible to the transaction. */
  snapshotSeq: number;
  /** Pre-images of documents changed by others since the snapshot (null: did not exist). */
  snapshot: Map<string, string | null>;
  writes: Map<string, PendingWrite>;
}

type EndReason = 'committed' | 'aborted' | 'expired' | 'conflict';

const ref = (coll: string, key: string) => `${coll}\u0000${key}`;

/** Production `_id`s are 32 hex characters. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

function getPath(doc: Doc, path: string): unknown {
  let current: any = doc;
  for (const part of path.split('.')) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    current = current[part];
  }
  return current;
}

function isPlainObject(value: unknown): value is Doc {
  return !!value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof RegExp);
}

/** `{ _id: <scalar> }`: the SDK's doc() queries, served by key instead of a scan. */
function singleIdQuery(query: Doc): { id: unknown } | undefined {
  const keys = Object.keys(query);
  if (keys.length !== 1 || keys[0] !== '_id') return undefined;
  const id = query._id;
  if (typeof id === 'string' || typeof id === 'number') return { id };
  return undefined;
}

/**
 * The `_id`s a query can only match, when it names them: `{ _id: x, ... }`, `{ _id: { $in: [...] } }`,
 * `{ _id: { $eq: x } }`, an `$and` with such a branch, an `$or` whose every branch has one. Those
 * documents are read by key and the whole query still decides among them; any other query scans.
 */
function pinnedIds(query: Doc): unknown[] | undefined {
  if ('_id' in query) {
    const ids = idsOf(query._id);
    if (ids) return ids;
  }
  if (Array.isArray(query.$and)) {
    for (const branch of query.$and) {
      const ids = isPlainObject(branch) ? pinnedIds(branch) : undefined;
      if (ids) return ids;
    }
  }
  if (Array.isArray(query.$or) && query.$or.length > 0) {
    const all: unknown[] = [];
    for (const branch of query.$or) {
      const ids = isPlainObject(branch) ? pinnedIds(branch) : undefined;
      if (!ids) return undefined;
      all.push(...ids);
    }
    return all;
  }
  return undefined;
}

function idsOf(condition: unknown): unknown[] | undefined {
  const scalar = (value: unknown) => typeof value === 'string' || typeof value === 'number';
  if (scalar(condition)) return [condition];
  if (!isPlainObject(condition)) return undefined;
  const keys = Object.keys(condition);
  if (keys.length !== 1) return undefined;
  if (keys[0] === '$eq' && scalar(condition.$eq)) return [condition.$eq];
  if (keys[0] === '$in' && Array.isArray(condition.$in) && condition.$in.every(scalar)) return condition.$in;
  return undefined;
}

/** Per unique index: signature (the indexed values) → keys of the documents that have it. */
type UniqueTable = Map<string, Map<string, Set<string>>>;

export class DatabaseEngine {
  private seq = 0;
  /**
   * The unique indexes of each collection, built on the first write that needs them and kept by
   * `put`: checking an insert costs a lookup, not a pass over the whole collection.
   */
  private readonly uniqueTables = new Map<string, UniqueTable>();
  /** Sequence of the last write per document (including removals), for conflict detection. */
  private readonly lastWrite = new Map<string, number>();
  private readonly transactions = new Map<string, Transaction>();
  private readonly ended = new Map<string, EndReason>();
  /** The schema's indexes as sqlite keeps them, per collection (see planner.ts). */
  private readonly served = new Map<string, DocIndex[]>();
  private readonly indexReads: boolean;

  constructor(
    readonly store: SqliteStore,
    private readonly clock: Clock,
    readonly schema: Schema,
    options: EngineOptions = {},
  ) {
    this.indexReads = options.indexReads !== false;
    const indexes = servedIndexes(schema.collections);
    store.defineIndexes(indexes);
    for (const index of indexes) this.served.set(index.coll, [...(this.served.get(index.coll) ?? []), index]);
  }

  private readonly now = () => this.clock.nowMs();

  // ---------------------------------------------------------------- collections

  ensureSchemaCollections(): void {
    const at = this.clock.now();
    this.store.atomic(() => {
      for (const name of this.schema.collections.keys()) this.store.addCollection(name, at);
    });
  }

  collections(): string[] {
    return this.store.collections();
  }

  hasCollection(name: string): boolean {
    return this.store.hasCollection(name);
  }

  createCollection(name: string): void {
    if (!name || typeof name !== 'string') throw errors.invalidParam('collectionName is required');
    if (this.store.hasCollection(name)) throw errors.collectionExists(name);
    this.store.addCollection(name, this.clock.now());
  }

  private requireCollection(name: unknown): string {
    if (typeof name !== 'string' || !name) throw errors.invalidParam('collectionName is required');
    if (!this.store.hasCollection(name)) throw errors.collectionNotExists();
    return name;
  }

  indexes(coll: string): IndexSpec[] {
    return this.schema.collections.get(coll) ?? [];
  }

  /** Everything back to a fresh local cloud: no documents, no transactions, the schema's collections. */
  reset(): void {
    for (const txn of this.transactions.values()) this.end(txn, 'aborted');
    this.transactions.clear();
    this.ended.clear();
    this.lastWrite.clear();
    this.uniqueTables.clear();
    this.store.atomic(() => this.store.clearAll());
    this.ensureSchemaCollections();
  }

  // ---------------------------------------------------------------- reads

  docs(coll: string): Doc[] {
    return this.store.rows(coll).map((row) => decode(row.body));
  }

  private docsByKey(coll: string): Map<string, Doc> {
    const out = new Map<string, Doc>();
    for (const row of this.store.rows(coll)) out.set(row.id, decode(row.body));
    return out;
  }

  /**
   * The index read that serves `query` on `coll` (outside transactions), or undefined when it scans.
   * `order` (a `find`'s sort) lets the read come in `_id` order and stop early.
   */
  indexRead(coll: string, query: Doc, order?: Record<string, unknown>): IndexRead | undefined {
    const indexes = this.indexReads ? this.served.get(coll) : undefined;
    if (!indexes) return undefined;
    return planRead(indexes, query, this.store.indexFacts(coll), order);
  }

  /** The rows a query outside a transaction can only match, in insertion order: by key, by index, or all. */
  private candidates(coll: string, query: Doc): Array<{ id: string; body: string }> {
    const pinned = pinnedIds(query);
    if (pinned) return this.store.rowsByIds(coll, pinned.map(idKey));
    const read = Object.keys(query).length ? this.indexRead(coll, query) : undefined;
    return read ? this.store.indexRows(read) : this.store.rows(coll);
  }

  private matching(coll: string, query: Doc, first: boolean): Array<{ key: string; doc: Doc }> {
    const single = singleIdQuery(query);
    if (single) {
      const key = idKey(single.id);
      const body = this.store.row(coll, key);
      return body === undefined ? [] : [{ key, doc: decode(body) }];
    }
    const rows = this.candidates(coll, query);
    const all = rows.map((row) => ({ key: row.id, doc: decode(row.body) }));
    const matched = this.filter(
      all.map((entry) => entry.doc),
      query,
    );
    const set = new Set(matched);
    const out = all.filter((entry) => set.has(entry.doc));
    return first ? out.slice(0, 1) : out;
  }

  private filter(docs: Doc[], query: Doc): Doc[] {
    if (Object.keys(query).length === 0) return docs;
    try {
      return mingoFind(docs, query).all() as Doc[];
    } catch (error) {
      throw errors.invalidOperator(String((error as Error).message ?? error));
    }
  }

  find(collName: unknown, query: Doc, options: FindOptions): Doc[] {
    const coll = this.requireCollection(collName);
    if (singleIdQuery(query))
      return this.shape(
        this.matching(coll, query, true).map((e) => e.doc),
        {},
        options,
      );
    const pinned = pinnedIds(query);
    const read = pinned ? undefined : this.indexRead(coll, query, options.order);
    if (read && read.order !== 'insertion') return this.stream(read, query, options);
    let rows: Array<{ id: string; body: string }>;
    if (pinned) rows = this.store.rowsByIds(coll, pinned.map(idKey));
    else rows = read ? this.store.indexRows(read) : this.store.rows(coll);
    return this.shape(
      rows.map((row) => decode(row.body)),
      query,
      options,
    );
  }

  /**
   * A read that comes in the requested `_id` order: each row is decoded and tested as it comes, and the
   * statement stops once skip + limit documents matched; the projection is applied to those.
   */
  private stream(read: IndexRead, query: Doc, options: FindOptions): Doc[] {
    const { offset, limit } = page(options);
    const found: Doc[] = [];
    try {
      const test = matcher(query);
      if (offset + limit > 0) {
        for (const row of this.store.indexStream(read)) {
          const doc = decode(row.body);
          if (!test(doc)) continue;
          found.push(doc);
          if (found.length >= offset + limit) break;
        }
      }
    } catch (error) {
      throw errors.invalidOperator(String((error as Error).message ?? error));
    }
    return this.shape(found, {}, { ...options, order: undefined });
  }

  private shape(docs: Doc[], query: Doc, options: FindOptions): Doc[] {
    const { offset, limit } = page(options);
    try {
      const projection = options.projection && Object.keys(options.projection).length ? options.projection : undefined;
      let cursor = mingoFind(docs, query, projection as any);
      if (options.order && Object.keys(options.order).length) cursor = cursor.sort(options.order as any);
      return cursor.skip(offset).limit(limit).all() as Doc[];
    } catch (error) {
      throw errors.invalidOperator(String((error as Error).message ?? error));
    }
  }

  count(collName: unknown, query: Doc): number {
    const coll = this.requireCollection(collName);
    if (Object.keys(query).length === 0) return this.store.count(coll);
    return this.matching(coll, query, false).length;
  }

  aggregate(collName: unknown, pipeline: Doc[]): Doc[] {
    const coll = this.requireCollection(collName);
    try {
      return mingoAggregate(this.docs(coll), pipeline, {
        collectionResolver: (name: string) => (this.store.hasCollection(name) ? this.docs(name) : []),
      }) as Doc[];
    } catch (error) {
      throw errors.invalidOperator(String((error as Error).message ?? error));
    }
  }

  // ---------------------------------------------------------------- writes

  /** Every committed write goes through here: transactions that started earlier keep their snapshot. */
  private recordWrite(coll: string, key: string, preImage: string | undefined): void {
    this.seq += 1;
    // With no live transaction, nobody's snapshot predates this write: keep no history.
    if (this.transactions.size === 0) {
      if (this.lastWrite.size) this.lastWrite.clear();
      return;
    }
    const r = ref(coll, key);
    for (const txn of this.transactions.values()) {
      if (!txn.snapshot.has(r)) txn.snapshot.set(r, preImage ?? null);
    }
    this.lastWrite.set(r, this.seq);
  }

  private put(coll: string, key: string, doc: Doc | null): void {
    const before = this.store.row(coll, key);
    const table = this.uniqueTables.get(coll);
    if (table) {
      if (before !== undefined) this.tabulate(coll, table, key, decode(before), false);
      if (doc) this.tabulate(coll, table, key, doc, true);
    }
    if (doc === null) {
      if (before === undefined) return;
      this.store.delete(coll, key);
    } else if (before === undefined) {
      this.store.insert(coll, key, encode(doc));
    } else {
      this.store.update(coll, key, encode(doc));
    }
    this.recordWrite(coll, key, before);
  }

  /**
   * Unique indexes (and `_id`) over the collection as it would be after `changes`: a clash that
   * involves a changed document is refused with MongoDB's E11000 text.
   */
  private checkUnique(coll: string, current: Map<string, Doc> | (() => Map<string, Doc>), changes: Map<string, Doc | null>): void {
    const unique = this.indexes(coll).filter((index) => index.unique);
    if (unique.length === 0 || changes.size === 0) return;
    // A transaction passes the collection as a function: decoding every document is only worth it with a unique index.
    const finalDocs = new Map(typeof current === 'function' ? current() : current);
    for (const [key, doc] of changes) {
      if (doc === null) finalDocs.delete(key);
      else finalDocs.set(key, doc);
    }
    for (const index of unique) {
      const fields = Object.keys(index.keys);
      const seen = new Map<string, string>();
      const entries = [...finalDocs.entries()];
      // Unchanged documents first, so the error names the incoming document's key.
      entries.sort(([a], [b]) => Number(changes.has(a)) - Number(changes.has(b)));
      for (const [key, doc] of entries) {
        const values = fields.map((field) => getPath(doc, field));
        if (index.sparse && values.every((value) => value === undefined)) continue;
        const signature = encode(values.map((value) => (value === undefined ? null : value)));
        const other = seen.get(signature);
        if (other !== undefined && (changes.has(key) || changes.has(other))) {
          throw errors.duplicateKey(coll, index.name, Object.fromEntries(fields.map((field, i) => [field, values[i] ?? null])));
        }
        seen.set(signature, key);
      }
    }
  }

  /** The values a unique index holds of a document, as one string; undefined when a sparse index skips it. */
  private signature(index: IndexSpec, doc: Doc): string | undefined {
    const values = Object.keys(index.keys).map((field) => getPath(doc, field));
    if (index.sparse && values.every((value) => value === undefined)) return undefined;
    return encode(values.map((value) => (value === undefined ? null : value)));
  }

  private tabulate(coll: string, table: UniqueTable, key: string, doc: Doc, add: boolean): void {
    for (const index of this.indexes(coll)) {
      const entries = table.get(index.name);
      const signature = entries && this.signature(index, doc);
      if (!entries || signature === undefined) continue;
      const keys = entries.get(signature) ?? new Set<string>();
      if (add) keys.add(key);
      else keys.delete(key);
      if (keys.size) entries.set(signature, keys);
      else entries.delete(signature);
    }
  }

  private uniqueTable(coll: string): UniqueTable {
    let table = this.uniqueTables.get(coll);
    if (!table) {
      table = new Map(
        this.indexes(coll)
          .filter((index) => index.unique)
          .map((index) => [index.name, new Map()]),
      );
      for (const row of this.store.rows(coll)) this.tabulate(coll, table, row.id, decode(row.body), true);
      this.uniqueTables.set(coll, table);
    }
    return table;
  }

  /**
   * `checkUnique` against the committed collection, by lookup: a changed document clashes with an
   * unchanged one holding the same values, or with another changed one.
   */
  private checkUniqueCommitted(coll: string, changes: Map<string, Doc | null>): void {
    const unique = this.indexes(coll).filter((index) => index.unique);
    if (unique.length === 0 || changes.size === 0) return;
    const table = this.uniqueTable(coll);
    for (const index of unique) {
      const entries = table.get(index.name);
      const incoming = new Set<string>();
      for (const [key, doc] of changes) {
        const signature = doc ? this.signature(index, doc) : undefined;
        if (!doc || signature === undefined) continue;
        const held = [...(entries?.get(signature) ?? [])].some((other) => other !== key && !changes.has(other));
        if (held || incoming.has(signature)) {
          const fields = Object.keys(index.keys);
          throw errors.duplicateKey(coll, index.name, Object.fromEntries(fields.map((field) => [field, getPath(doc, field) ?? null])));
        }
        incoming.add(signature);
      }
    }
  }

  /** A write of committed documents; a failed one forgets the unique tables (they may hold what was rolled back). */
  private atomically(write: () => void): void {
    try {
      this.store.atomic(write);
    } catch (error) {
      this.uniqueTables.clear();
      throw error;
    }
  }

  private prepareInsert(raw: Doc): { key: string; doc: Doc } {
    if (!isPlainObject(raw)) throw errors.invalidParam('document must be an object');
    const doc: Doc = raw._id === undefined || raw._id === null ? { _id: newId(), ...raw } : { ...raw };
    if (doc._id === undefined || doc._id === null) doc._id = newId();
    return { key: idKey(doc._id), doc };
  }

  insert(collName: unknown, rawDocs: Doc[]): unknown[] {
    const coll = this.requireCollection(collName);
    const prepared = rawDocs.map((raw) => this.prepareInsert(raw));
    const changes = new Map<string, Doc | null>();
    for (const { key, doc } of prepared) {
      if (changes.has(key) || this.store.row(coll, key) !== undefined) throw errors.duplicateKey(coll, '_id_', { _id: doc._id });
      changes.set(key, doc);
    }
    this.checkUniqueCommitted(coll, changes);
    this.atomically(() => {
      for (const { key, doc } of prepared) this.put(coll, key, doc);
    });
    return prepared.map((entry) => entry.doc._id);
  }

  /** Applies an update document (operators) or a replacement to a copy of `doc`. Returns the new document and whether it changed. */
  private applyModification(doc: Doc, data: Doc, merge: boolean): { doc: Doc; changed: boolean } {
    if (!merge) {
      const { _id: _ignored, ...rest } = data;
      const next = { _id: doc._id, ...rest };
      return { doc: next, changed: encode(next) !== encode(doc) };
    }
    const copy = clone(doc);
    const modifier = toModifier(data);
    let changedFields: string[];
    try {
      changedFields = mingoUpdate(copy, modifier as any);
    } catch (error) {
      throw errors.invalidOperator(String((error as Error).message ?? error));
    }
    if (encode(copy._id) !== encode(doc._id)) {
      throw errors.requestFailed("Performing an update on the path '_id' would modify the immutable field '_id'");
    }
    return { doc: copy, changed: changedFields.length > 0 && encode(copy) !== encode(doc) };
  }

  private upsertDocument(query: Doc, data: Doc, merge: boolean): Doc {
    if (!merge) {
      const { _id: _ignored, ...rest } = data;
      return { _id: query._id ?? newId(), ...rest };
    }
    const base: Doc = {};
    for (const [key, value] of Object.entries(query)) {
      if (key.startsWith('$')) continue;
      if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) continue;
      base[key] = value;
    }
    if (base._id === undefined) base._id = newId();
    const { doc } = this.applyModification(base, data, true);
    return doc;
  }

  modify(collName: unknown, request: ModifyRequest): { updated: number; upsertId?: unknown; docs: Doc[] } {
    const coll = this.requireCollection(collName);
    const targets = this.matching(coll, request.query, !request.multi);
    const planned = this.planModify(coll, targets, request, (key) => this.store.row(coll, key) !== undefined);
    this.checkUniqueCommitted(coll, planned.changes);
    this.atomically(() => {
      for (const [key, doc] of planned.changes) this.put(coll, key, doc);
    });
    return planned.answer;
  }

  /**
   * What an update does to its targets (or the document an upsert adds when none matched), and its
   * answer: the same in and out of a transaction, only `exists` (where a new `_id` is checked) differs.
   */
  private planModify(
    coll: string,
    targets: Array<{ key: string; doc: Doc }>,
    request: ModifyRequest,
    exists: (key: string) => unknown,
  ): { changes: Map<string, Doc | null>; answer: { updated: number; upsertId?: unknown; docs: Doc[] } } {
    const changes = new Map<string, Doc | null>();
    const results: Doc[] = [];
    for (const { key, doc } of targets) {
      const next = this.applyModification(doc, request.data, request.merge);
      results.push(next.doc);
      if (next.changed) changes.set(key, next.doc);
    }
    let upsertId: unknown;
    if (targets.length === 0 && request.upsert) {
      const doc = this.upsertDocument(request.query, request.data, request.merge);
      const key = idKey(doc._id);
      if (exists(key)) throw errors.duplicateKey(coll, '_id_', { _id: doc._id });
      changes.set(key, doc);
      results.push(doc);
      upsertId = doc._id;
    }
    return { changes, answer: { updated: upsertId === undefined ? changes.size : 0, upsertId, docs: results } };
  }

  remove(collName: unknown, query: Doc, multi: boolean): number {
    const coll = this.requireCollection(collName);
    const targets = this.matching(coll, query, !multi);
    this.atomically(() => {
      for (const { key } of targets) this.put(coll, key, null);
    });
    return targets.length;
  }

  // ---------------------------------------------------------------- transactions

  /** Ends transactions older than 30 s on the emulator clock (their locks go with them). */
  sweep(): void {
    const now = this.now();
    for (const txn of [...this.transactions.values()]) {
      if (now - txn.startedAtMs > TRANSACTION_LIFETIME_MS) this.end(txn, 'expired');
    }
  }

  private end(txn: Transaction, reason: EndReason): void {
    this.transactions.delete(txn.id);
    this.ended.set(txn.id, reason);
    if (this.ended.size > 10_000) {
      const oldest = this.ended.keys().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
  }

  startTransaction(): string {
    this.sweep();
    const txn: Transaction = {
      id: randomUUID(),
      startedAtMs: this.now(),
      snapshotSeq: this.seq,
      snapshot: new Map(),
      writes: new Map(),
    };
    this.transactions.set(txn.id, txn);
    return txn.id;
  }

  private txn(id: unknown): Transaction {
    this.sweep();
    const txn = typeof id === 'string' ? this.transactions.get(id) : undefined;
    if (!txn) throw errors.transactionNotExist();
    return txn;
  }

  /** The document as the transaction sees it: its own writes, else the snapshot. */
  private txnRead(txn: Transaction, coll: string, key: string): Doc | null {
    const r = ref(coll, key);
    const own = txn.writes.get(r);
    if (own) return own.doc ? clone(own.doc) : null;
    if (txn.snapshot.has(r)) {
      const body = txn.snapshot.get(r);
      return body ? decode(body) : null;
    }
    const body = this.store.row(coll, key);
    return body === undefined ? null : decode(body);
  }

  /** The collection as the transaction sees it (for unique checks inside it). */
  private txnCollection(txn: Transaction, coll: string): Map<string, Doc> {
    const docs = this.docsByKey(coll);
    const prefix = `${coll}\u0000`;
    for (const [r, body] of txn.snapshot) {
      if (!r.startsWith(prefix)) continue;
      const key = r.slice(prefix.length);
      if (body === null) docs.delete(key);
      else docs.set(key, decode(body));
    }
    for (const write of txn.writes.values()) {
      if (write.coll !== coll) continue;
      if (write.doc === null) docs.delete(write.key);
      else docs.set(write.key, write.doc);
    }
    return docs;
  }

  /**
   * First writer wins: a document another live transaction has written, or that changed after
   * this transaction's snapshot, cannot be written. The loser is aborted (as MongoDB does).
   */
  private claim(txn: Transaction, coll: string, key: string): void {
    const r = ref(coll, key);
    if (txn.writes.has(r)) return;
    const lockedByOther = [...this.transactions.values()].some((other) => other !== txn && other.writes.has(r));
    const changedSinceSnapshot = (this.lastWrite.get(r) ?? 0) > txn.snapshotSeq;
    if (lockedByOther || changedSinceSnapshot) {
      this.end(txn, 'conflict');
      throw errors.transactionConflict();
    }
  }

  /**
   * The documents of `coll` a query matches as the transaction sees them (its snapshot plus its own
   * writes), in insertion order: a `doc()` query by key, any other query over the whole view.
   */
  private txnMatching(txn: Transaction, coll: string, query: Doc, first: boolean): Array<{ key: string; doc: Doc }> {
    const single = singleIdQuery(query);
    if (single) {
      const key = idKey(single.id);
      const doc = this.txnRead(txn, coll, key);
      return doc ? [{ key, doc }] : [];
    }
    const all = [...this.txnCollection(txn, coll)].map(([key, doc]) => ({ key, doc }));
    const matched = new Set(
      this.filter(
        all.map((entry) => entry.doc),
        query,
      ),
    );
    const out = all.filter((entry) => matched.has(entry.doc));
    return first ? out.slice(0, 1) : out;
  }

  /** `doc().get()` and `where().get()` inside a transaction: order, offset, limit and projection as outside. */
  txnGet(txnId: unknown, collName: unknown, query: Doc, options: FindOptions = {}): Doc[] {
    const txn = this.txn(txnId);
    const coll = this.requireCollection(collName);
    if (singleIdQuery(query)) {
      const docs = this.txnMatching(txn, coll, query, true).map((entry) => entry.doc);
      return this.shape(docs, {}, { ...options, order: undefined });
    }
    return this.shape([...this.txnCollection(txn, coll).values()], query, options);
  }

  txnCount(txnId: unknown, collName: unknown, query: Doc): number {
    const txn = this.txn(txnId);
    const coll = this.requireCollection(collName);
    return this.txnMatching(txn, coll, query, false).length;
  }

  /** One `add`, batch or not: every document is checked and claimed before any is written (all or nothing). */
  txnInsert(txnId: unknown, collName: unknown, rawDocs: Doc[]): unknown[] {
    const txn = this.txn(txnId);
    const coll = this.requireCollection(collName);
    const prepared = rawDocs.map((raw) => this.prepareInsert(raw));
    const changes = new Map<string, Doc | null>();
    for (const { key, doc } of prepared) {
      if (changes.has(key) || this.txnRead(txn, coll, key)) throw errors.duplicateKey(coll, '_id_', { _id: doc._id });
      changes.set(key, doc);
    }
    this.stage(txn, coll, changes);
    return prepared.map((entry) => entry.doc._id);
  }

  /** Claims every changed document (first writer wins), checks unique indexes over the transaction's view, then records the writes. */
  private stage(txn: Transaction, coll: string, changes: Map<string, Doc | null>): void {
    for (const key of changes.keys()) this.claim(txn, coll, key);
    this.checkUnique(coll, () => this.txnCollection(txn, coll), changes);
    for (const [key, doc] of changes) txn.writes.set(ref(coll, key), { coll, key, doc });
  }

  /** `doc().update/set()`, `where().update()` and `updateAndReturn()` inside a transaction: matched in its view, written at commit. */
  txnModify(txnId: unknown, collName: unknown, request: ModifyRequest): { updated: number; upsertId?: unknown; docs: Doc[] } {
    const txn = this.txn(txnId);
    const coll = this.requireCollection(collName);
    const targets = this.txnMatching(txn, coll, request.query, !request.multi);
    const planned = this.planModify(coll, targets, request, (key) => this.txnRead(txn, coll, key));
    this.stage(txn, coll, planned.changes);
    return planned.answer;
  }

  /** `doc().remove()` and `where().remove()` inside a transaction. */
  txnRemove(txnId: unknown, collName: unknown, query: Doc, multi = false): number {
    const txn = this.txn(txnId);
    const coll = this.requireCollection(collName);
    const targets = this.txnMatching(txn, coll, query, !multi);
    this.stage(txn, coll, new Map(targets.map(({ key }) => [key, null])));
    return targets.length;
  }

  /** Applies every write at once, or none: a document someone else changed since the snapshot makes the commit a conflict. */
  commit(txnId: unknown): void {
    const txn = this.txn(txnId);
    for (const write of txn.writes.values()) {
      if ((this.lastWrite.get(ref(write.coll, write.key)) ?? 0) > txn.snapshotSeq) {
        this.end(txn, 'conflict');
        throw errors.transactionConflict();
      }
    }
    const byColl = new Map<string, Map<string, Doc | null>>();
    for (const write of txn.writes.values()) {
      if (!this.store.hasCollection(write.coll)) {
        this.end(txn, 'aborted');
        throw errors.collectionNotExists();
      }
      const changes = byColl.get(write.coll) ?? new Map<string, Doc | null>();
      changes.set(write.key, write.doc);
      byColl.set(write.coll, changes);
    }
    try {
      for (const [coll, changes] of byColl) this.checkUniqueCommitted(coll, changes);
    } catch (error) {
      this.end(txn, 'aborted');
      throw error;
    }
    this.end(txn, 'committed');
    this.atomically(() => {
      for (const write of txn.writes.values()) this.put(write.coll, write.key, write.doc);
    });
  }

  /** Rolling back a transaction that already ended by a conflict or by age is accepted (the SDK rolls back after failures). */
  abort(txnId: unknown): void {
    const id = typeof txnId === 'string' ? txnId : '';
    const live = this.transactions.get(id);
    if (live) {
      this.end(live, 'aborted');
      return;
    }
    const reason = this.ended.get(id);
    if (reason === 'aborted' || reason === 'conflict' || reason === 'expired') return;
    throw errors.transactionNotExist();
  }

  activeTransactions(): number {
    this.sweep();
    return this.transactions.size;
  }

  // ---------------------------------------------------------------- export / import

  /** Replaces the listed collections with the given documents in one sqlite transaction (validated before). */
  replaceCollections(collections: Map<string, Doc[]>): void {
    this.atomically(() => {
      const at = this.clock.now();
      for (const [coll, docs] of collections) {
        this.store.addCollection(coll, at);
        for (const row of this.store.rows(coll)) this.put(coll, row.id, null);
        for (const doc of docs) this.put(coll, idKey(doc._id), doc);
      }
    });
  }

  /** Validation helper for import: duplicate `_id`s and unique indexes over a whole collection, naming the first clashing line. */
  validateCollection(coll: string, docs: Array<{ doc: Doc; line: number }>): { line: number; message: string } | undefined {
    const ids = new Set<string>();
    for (const { doc, line } of docs) {
      const key = idKey(doc._id);
      if (ids.has(key)) return { line, message: errors.duplicateKey(coll, '_id_', { _id: doc._id }).message };
      ids.add(key);
    }
    for (const index of this.indexes(coll).filter((spec) => spec.unique)) {
      const fields = Object.keys(index.keys);
      const seen = new Set<string>();
      for (const { doc, line } of docs) {
        const values = fields.map((field) => getPath(doc, field));
        if (index.sparse && values.every((value) => value === undefined)) continue;
        const signature = encode(values.map((value) => (value === undefined ? null : value)));
        if (seen.has(signature)) {
          const key = Object.fromEntries(fields.map((field, i) => [field, values[i] ?? null]));
          return { line, message: errors.duplicateKey(coll, index.name, key).message };
        }
        seen.add(signature);
      }
    }
    return undefined;
  }
}

/** A `get`'s skip and limit: 100 documents unless asked, never more than 1000. */
function page(options: FindOptions): { offset: number; limit: number } {
  const limit = Math.min(Math.max(Math.floor(options.limit ?? DEFAULT_LIMIT), 0) || DEFAULT_LIMIT, MAX_LIMIT);
  const offset = Math.max(Math.floor(options.offset ?? 0), 0) || 0;
  return { offset, limit };
}

/** `merge: true` data: update operators as sent; a plain object means `$set` of its fields. */
function toModifier(data: Doc): Doc {
  const keys = Object.keys(data);
  const operators = keys.filter((key) => key.startsWith('$'));
  if (operators.length === 0) return { $set: data };
  if (operators.length !== keys.length) {
    throw errors.invalidOperator('update document mixes operators and fields');
  }
  return data;
}
