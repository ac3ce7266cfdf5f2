import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Doc } from '../src/db/ejson';
import { DatabaseEngine, type FindOptions } from '../src/db/engine';
import type { IndexSpec, Schema } from '../src/db/schema';
import { type IndexRead, SqliteStore } from '../src/db/store';
import { createClock } from '../src/services';

/**
 * Reads served by a declared index (engine.ts, planner.ts, store.ts): the same answers as a scan, for
 * any documents and queries; sqlite really uses the index; arrays and odd `_id`s turn it off where needed.
 * Engine-level (no HTTP): db-index-pages.test.ts pages through the real SDK.
 */

const INDEXES: IndexSpec[] = [
  { name: 'day_bucket', keys: { day: 1, bucket: 1, _id: 1 } },
  { name: 'tag', keys: { tag: 1 } },
  { name: 'tag_id', keys: { tag: 1, _id: -1 } },
  // Reads in `_id` order with no equality at all (a whole-collection page).
  { name: 'by_id', keys: { _id: 1 } },
  // Served up to the dotted field: an index on `day` alone.
  { name: 'day_deep', keys: { day: 1, 'meta.k': 1 } },
  // Not served at all.
  { name: 'deep', keys: { 'meta.k': 1 } },
];

function schemaOf(indexes: IndexSpec[] = INDEXES): Schema {
  return { collections: new Map([['ev', indexes]]) };
}

/** Two engines over one store: `served` reads by index, `scan` never does (the reference). */
function open(file = ':memory:', schema = schemaOf()) {
  const store = new SqliteStore(file);
  const clock = createClock();
  const served = new DatabaseEngine(store, clock, schema);
  const scan = new DatabaseEngine(store, clock, schema, { indexReads: false });
  served.ensureSchemaCollections();
  return { store, served, scan };
}

/** What sqlite does for a read: `EXPLAIN QUERY PLAN` of the very statement the store runs. */
function queryPlan(store: SqliteStore, read: IndexRead): string {
  return store.db
    .prepare(`EXPLAIN QUERY PLAN ${store.indexSql(read)}`)
    .all(...store.indexParams(read))
    .map((row: any) => row.detail)
    .join(' | ');
}

const ids = (docs: Doc[]) => docs.map((doc) => doc._id);

describe('reads by index', () => {
  const tempDirs: string[] = [];
  afterAll(() => {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('answers exactly as a scan for random documents, queries, pages and writes', () => {
    const scalar = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('d1', 'd2') },
      { weight: 1, arbitrary: fc.constantFrom('5', '', '[', '{"$numberInt":"5"}', 'é', '\uff21') },
      { weight: 1, arbitrary: fc.constantFrom(5, 0, true, null) },
      { weight: 1, arbitrary: fc.constant({ k: 'd1' }) },
    );
    const array = fc.uniqueArray(fc.constantFrom('d1', 'd2', '5'), { maxLength: 2 });
    const value = fc.oneof({ weight: 9, arbitrary: scalar }, { weight: 1, arbitrary: array });
    const idChars = fc.constantFrom('a', 'b', 'c', 'A', '0');
    const plainId = fc.string({ unit: idChars, minLength: 1, maxLength: 3 });
    // Odd ids: numbers, and strings whose UTF-8 and UTF-16 orders disagree (U+FF21 against U+1F600).
    const oddId = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom('\uff21', '\u{1F600}', 'a\uff21', 'a\u{1F600}'));
    // Half the collections start without arrays (the writes bring them), three in four with plain ids only.
    const docs = fc.record({ arrays: fc.boolean(), odd: fc.nat(3).map((n) => n === 0) }).chain(({ arrays, odd }) => {
      const field = arrays ? value : scalar;
      const id = odd ? fc.oneof({ weight: 3, arbitrary: plainId }, { weight: 1, arbitrary: oddId }) : plainId;
      const doc = fc.record(
        { _id: id, day: field, bucket: field, tag: field, n: fc.integer({ min: 0, max: 9 }) },
        { requiredKeys: ['_id', 'n'] },
      );
      return fc.uniqueArray(doc, { selector: (d) => JSON.stringify(d._id), maxLength: 50 });
    });

    const eq = fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom('d1', 'd2') },
      { weight: 2, arbitrary: fc.constantFrom('d1', 'd2', 'd3').map((v) => ({ $eq: v })) },
      { weight: 1, arbitrary: fc.constantFrom('5', '{"$numberInt":"5"}', 5, null) },
      { weight: 1, arbitrary: fc.constant({ $in: ['d1', 'd2'] }) },
      { weight: 1, arbitrary: fc.constant({ $ne: 'd1' }) },
    );
    const bound = fc.oneof({ weight: 5, arbitrary: plainId }, { weight: 1, arbitrary: fc.constantFrom(3, '\uff21', '\u{1F600}') });
    const idRange = fc.record({ $gt: bound, $gte: bound, $lt: bound, $lte: bound, $ne: plainId }, { requiredKeys: [] });
    // A few conditions at a time (shapes the indexes serve, and some they do not), so that pages have matches.
    const shapes = [
      ['day', 'bucket'],
      ['day', 'bucket', '_id'],
      ['tag', '_id'],
      ['tag'],
      ['day'],
      ['day', 'bucket', 'n'],
      ['bucket', '_id'],
      ['_id'],
      ['n'],
      [],
    ];
    const query = fc
      .tuple(
        fc.record({ day: eq, bucket: eq, tag: eq, _id: idRange, n: fc.integer({ min: 0, max: 9 }).map((n) => ({ $gte: n })) }),
        fc.constantFrom(...shapes),
        fc.boolean(),
      )
      .map(([all, shape, nest]) => {
        const entries = Object.entries(all).filter(([field]) => shape.includes(field));
        // Half of them as the SDK sends `_.and(...)`: the conditions split over a top-level $and.
        if (!nest || entries.length < 2) return Object.fromEntries(entries) as Doc;
        return { $and: entries.map(([field, condition]) => ({ [field]: condition })) } as Doc;
      });
    const options = fc.record(
      {
        order: fc.constantFrom<Record<string, number>>({ _id: 1 }, { _id: -1 }, { day: 1, _id: -1 }, { n: 1, _id: 1 }, { _id: 1, n: -1 }),
        offset: fc.integer({ min: 0, max: 2 }),
        limit: fc.integer({ min: 2, max: 8 }),
        projection: fc.constantFrom<Record<string, unknown>>({ n: 1 }, { _id: 0, day: 1 }, { tag: 0 }),
      },
      { requiredKeys: ['order'] },
    );
    const write = fc.record({
      at: fc.nat(),
      id: fc.option(oddId, { nil: undefined, freq: 3 }),
      data: fc.record({ bucket: fc.oneof(scalar, array), tag: fc.oneof(scalar, array) }, { requiredKeys: [] }),
    });

    let reads = 0;
    let streamed = 0;
    let streamedPages = 0;
    fc.assert(
      fc.property(
        docs,
        fc.array(fc.tuple(query, options), { minLength: 6, maxLength: 6 }),
        fc.array(write, { maxLength: 3 }),
        (all, queries, writes) => {
          const { store, served, scan } = open();
          try {
            if (all.length) served.insert('ev', all);
            const compare = (more: Doc[] = []) => {
              for (const [q, o] of [
                ...queries,
                ...more.flatMap(
                  (m): Array<[Doc, Doc]> => [
                    [m, {}],
                    [m, { order: { _id: -1 } }],
                  ],
                ),
              ]) {
                const read = served.indexRead('ev', q, o.order);
                if (read) reads += 1;
                const page = served.find('ev', q, o as FindOptions);
                if (read && read.order !== 'insertion') streamed += 1;
                if (read && read.order !== 'insertion' && page.length > 1) streamedPages += 1;
                expect(page).toEqual(scan.find('ev', q, o as FindOptions));
                expect(served.count('ev', q)).toBe(scan.count('ev', q));
              }
            };
            compare();
            // Writes (arrays among them: fields become multikey on the way; odd ids arrive), then the same queries again.
            // Plus queries for what they wrote: each array element, alone and after the target's `day`.
            const more: Doc[] = [];
            for (const { at, id, data } of writes) {
              if (id !== undefined && served.count('ev', { _id: id }) === 0)
                served.insert('ev', [{ _id: id, day: 'd1', bucket: 'd1', tag: 'd1', n: 1 }]);
              if (all.length === 0 || Object.keys(data).length === 0) continue;
              const target = all[at % all.length];
              served.modify('ev', { query: { _id: target._id }, data, multi: false, merge: true, upsert: false });
              for (const [field, written] of Object.entries(data)) {
                for (const element of Array.isArray(written) ? written : [])
                  more.push({ [field]: element }, { day: target.day, [field]: element });
              }
            }
            compare(more);
          } finally {
            store.close();
          }
        },
      ),
      { numRuns: 100 },
    );
    // The comparison is worth something only if the index reads really ran.
    expect(reads).toBeGreaterThan(300);
    expect(streamed).toBeGreaterThan(100);
    expect(streamedPages).toBeGreaterThan(50);
  });

  it('pages a 5,000-document collection by _id ranges: every document once, in order, and sqlite uses the index', () => {
    const { store, served, scan } = open();
    const docs: Doc[] = [];
    for (let i = 0; i < 5000; i++) {
      // Insertion order is not _id order: ids are a scrambled permutation.
      const id = `e${String((i * 7919) % 5000).padStart(5, '0')}`;
      docs.push({ _id: id, day: `2026-12-0${1 + (i % 2)}`, bucket: `b0${i % 3}`, n: i % 10 });
    }
    served.insert('ev', docs);
    const group = docs.filter((doc) => doc.day === '2026-12-01' && doc.bucket === 'b01');
    const expected = ids(group).sort();

    for (const [direction, op] of [
      [1, '$gt'],
      [-1, '$lt'],
    ] as const) {
      const seen: unknown[] = [];
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const query: Doc = { day: '2026-12-01', bucket: 'b01', ...(cursor === undefined ? {} : { _id: { [op]: cursor } }) };
        const options = { order: { _id: direction }, limit: 100, projection: { day: 0 } };
        const read = served.indexRead('ev', query, options.order);
        expect(read?.index.name).toBe('day_bucket');
        expect(read?.order).toBe(direction === 1 ? 'asc' : 'desc');
        const page = served.find('ev', query, options);
        if (pages < 3) expect(page).toEqual(scan.find('ev', query, options));
        if (page.length === 0) break;
        expect(page.every((doc) => doc.day === undefined && doc.bucket === 'b01')).toBe(true);
        seen.push(...ids(page));
        cursor = page[page.length - 1]._id;
        pages += 1;
      }
      expect(seen).toEqual(direction === 1 ? expected : [...expected].reverse());
      expect(pages).toBe(Math.ceil(expected.length / 100));
    }

    // skip + limit pages in both directions, a range with two bounds.
    const window = { day: '2026-12-01', bucket: 'b01', _id: { $gte: 'e01000', $lt: 'e03000' } };
    const inWindow = expected.filter((id) => id >= 'e01000' && id < 'e03000');
    const skipped: unknown[] = [];
    for (let offset = 0; offset < inWindow.length + 50; offset += 50) {
      skipped.push(...ids(served.find('ev', window, { order: { _id: 1 }, offset, limit: 50 })));
    }
    expect(skipped).toEqual(inWindow);
    expect(ids(served.find('ev', window, { order: { _id: -1 }, offset: 10, limit: 5 }))).toEqual([...inWindow].reverse().slice(10, 15));
    expect(served.count('ev', window)).toBe(inWindow.length);
    expect(served.count('ev', { day: '2026-12-01', bucket: 'b01' })).toBe(expected.length);
    // Default order stays insertion order.
    expect(ids(served.find('ev', { day: '2026-12-01', bucket: 'b01' }, { limit: 1000 }))).toEqual(ids(group));

    // What sqlite does: the partial index, searched by equality and range, and no sort for the _id order.
    const paged = served.indexRead('ev', { day: 'x', bucket: 'y', _id: { $gt: 'c' } }, { _id: 1 });
    const plan = queryPlan(store, paged as IndexRead);
    expect(plan).toMatch(/SEARCH docs USING INDEX emu_ix_ev_day_bucket_[0-9a-f]{8} \(<expr>=\? AND <expr>=\? AND <expr>>\?\)/);
    expect(plan).not.toContain('TEMP B-TREE');
    const counted = served.indexRead('ev', { day: 'x', bucket: { $eq: 'y' }, n: 3 });
    expect(counted).toMatchObject({ equals: ['x', 'y'], range: [], order: 'insertion' });
    expect(queryPlan(store, counted as IndexRead)).toMatch(/SEARCH docs USING INDEX emu_ix_ev_day_bucket_\w+ \(<expr>=\? AND <expr>=\?\)/);
    const byTag = served.indexRead('ev', { $and: [{ tag: 't' }, { _id: { $lte: 'z' } }] }, { _id: -1 });
    expect(byTag).toMatchObject({ index: { name: 'tag_id' }, order: 'desc', range: [{ op: '$lte', value: 'z' }] });
    expect(queryPlan(store, byTag as IndexRead)).toMatch(/USING INDEX emu_ix_ev_tag_id_\w+ \(<expr>=\? AND <expr><\?\)/);
    store.close();
  });

  it('matches a string, never the number it spells, and leaves other values to a scan', () => {
    const { store, served, scan } = open();
    served.insert('ev', [
      { _id: 'n', tag: 5 },
      { _id: 's', tag: '5' },
      { _id: 'o', tag: { k: '5' } },
      { _id: 'd', tag: new Date('2026-01-01T00:00:00Z') },
      { _id: 'b', tag: true },
      { _id: 'm' },
    ]);
    expect(served.indexRead('ev', { tag: '5' })?.index.name).toBe('tag');
    expect(ids(served.find('ev', { tag: '5' }, {}))).toEqual(['s']);
    expect(ids(served.find('ev', { tag: { $eq: '5' } }, {}))).toEqual(['s']);
    // The JSON text of a stored object is a candidate, not a match.
    expect(ids(served.find('ev', { tag: '{"$numberInt":"5"}' }, {}))).toEqual([]);
    expect(ids(served.find('ev', { tag: '{"k":"5"}' }, {}))).toEqual([]);
    for (const other of [5, true, null, new Date('2026-01-01T00:00:00Z'), { $in: ['5'] }, { $exists: false }]) {
      expect(served.indexRead('ev', { tag: other })).toBeUndefined();
      expect(served.find('ev', { tag: other }, {})).toEqual(scan.find('ev', { tag: other }, {}));
    }
    // Fields behind a dot or a `$` are not served: `day_deep` serves `day` only, `deep` nothing.
    expect(served.indexRead('ev', { 'meta.k': 'x' })).toBeUndefined();
    expect(served.indexRead('ev', { day: 'x', 'meta.k': 'y' })).toMatchObject({ index: { name: 'day_bucket' }, equals: ['x'] });
    const names = store.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'emu_ix_%' ORDER BY name")
      .all()
      .map((row: any) => row.name.replace(/_[0-9a-f]{8}$/, ''));
    expect(names).toEqual(['emu_ix_ev_by_id', 'emu_ix_ev_day_bucket', 'emu_ix_ev_day_deep', 'emu_ix_ev_tag', 'emu_ix_ev_tag_id']);
    store.close();
  });

  it('stops serving a field once any document holds an array there (multikey), on every write path and from disk', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'duet-index-'));
    tempDirs.push(dir);
    const file = path.join(dir, 'cloud.sqlite');
    const first = open(file);
    first.served.insert('ev', [
      { _id: 'a', day: 'd1', bucket: 'b1', tag: 't' },
      { _id: 'b', day: 'd1', bucket: 'b2', tag: 'u' },
    ]);
    expect(first.served.indexRead('ev', { day: 'd1', bucket: 'b1' })?.equals).toEqual(['d1', 'b1']);
    // An update makes `bucket` an array: the index still serves `day`, and the array's element matches.
    first.served.modify('ev', { query: { _id: 'b' }, data: { bucket: ['b1', 'b3'] }, multi: false, merge: true, upsert: false });
    expect(first.store.indexFacts('ev').multikey).toEqual(new Set(['bucket']));
    expect(first.served.indexRead('ev', { day: 'd1', bucket: 'b1' })?.equals).toEqual(['d1']);
    expect(ids(first.served.find('ev', { day: 'd1', bucket: 'b1' }, {}))).toEqual(['a', 'b']);
    // The `_id` order is no longer the index's next field: candidates in insertion order, sorted by mingo.
    expect(first.served.indexRead('ev', { day: 'd1', bucket: 'b1' }, { _id: -1 })?.order).toBe('insertion');
    expect(ids(first.served.find('ev', { day: 'd1', bucket: 'b1' }, { order: { _id: -1 } }))).toEqual(['b', 'a']);
    // A transaction's commit writes through the same path.
    const txn = first.served.startTransaction();
    first.served.txnInsert(txn, 'ev', [{ _id: 'c', day: 'd2', tag: ['t', 'v'] }]);
    first.served.commit(txn);
    expect(first.served.indexRead('ev', { tag: 't' })).toBeUndefined();
    expect(ids(first.served.find('ev', { tag: 't' }, {}))).toEqual(['a', 'c']);
    // A nested array of the same name marks the field too (conservative: it only costs speed).
    first.served.insert('ev', [{ _id: 'd', meta: { day: ['x'] } }]);
    expect(first.store.indexFacts('ev').multikey).toEqual(new Set(['bucket', 'tag', 'day']));
    // A string that starts with `[` is no array.
    first.served.insert('ev', [{ _id: 'e', day: '[d1]', bucket: '[' }]);
    first.store.close();

    // After a restart the marks come from the stored rows (read through the indexes), exactly: `day` is no array there.
    const second = open(file);
    expect(second.store.indexFacts('ev')).toEqual({ multikey: new Set(['bucket', 'tag']), plainIds: true });
    expect(ids(second.served.find('ev', { day: 'd1', bucket: 'b1' }, {}))).toEqual(['a', 'b']);
    expect(ids(second.served.find('ev', { day: '[d1]' }, {}))).toEqual(['e']);
    // An import (replaceCollections) writes through the same path.
    second.served.replaceCollections(new Map([['ev', [{ _id: 'i', day: ['d1'] }]]]));
    expect(second.store.indexFacts('ev').multikey.has('day')).toBe(true);
    expect(ids(second.served.find('ev', { day: 'd1' }, {}))).toEqual(['i']);
    // A reset forgets the marks.
    second.served.reset();
    expect(second.store.indexFacts('ev')).toEqual({ multikey: new Set(), plainIds: true });
    expect(second.served.indexRead('ev', { day: 'd1', bucket: 'b1' })?.equals).toEqual(['d1', 'b1']);
    second.store.close();
  });

  it('pushes _id bounds and order into sqlite only while every _id is a plain string', () => {
    const { store, served, scan } = open();
    served.insert('ev', [
      { _id: 'a', day: 'd', bucket: 'b' },
      { _id: 'c', day: 'd', bucket: 'b' },
    ]);
    const query = { day: 'd', bucket: 'b', _id: { $gt: '' } };
    expect(served.indexRead('ev', query, { _id: 1 })).toMatchObject({ order: 'asc', range: [{ op: '$gt', value: '' }] });
    // U+FF21 sorts after U+1F600 in UTF-16 (mingo) and before it in UTF-8 (sqlite, MongoDB).
    served.insert('ev', [
      { _id: '\u{1F600}', day: 'd', bucket: 'b' },
      { _id: '\uff21', day: 'd', bucket: 'b' },
      { _id: 7, day: 'd', bucket: 'b' },
    ]);
    expect(store.indexFacts('ev').plainIds).toBe(false);
    expect(served.indexRead('ev', query, { _id: 1 })).toMatchObject({ equals: ['d', 'b'], range: [], order: 'insertion' });
    for (const order of [{ _id: 1 }, { _id: -1 }]) {
      expect(served.find('ev', query, { order })).toEqual(scan.find('ev', query, { order }));
      expect(served.find('ev', { day: 'd', bucket: 'b' }, { order })).toEqual(scan.find('ev', { day: 'd', bucket: 'b' }, { order }));
    }
    store.close();
    // The same from stored rows.
    for (const odd of ['\uff21', '\u{1F600}', 'a"b', 'tab\t', 12]) {
      const dir = mkdtempSync(path.join(tmpdir(), 'duet-index-'));
      tempDirs.push(dir);
      const file = path.join(dir, 'cloud.sqlite');
      const first = open(file);
      first.served.insert('ev', [{ _id: 'plain' }, { _id: odd }]);
      first.store.close();
      const second = open(file);
      expect(second.store.indexFacts('ev').plainIds).toBe(false);
      second.store.close();
    }
  });

  it('keeps the emu_ix_ indexes as declared: changed ones rebuilt, dropped ones removed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'duet-index-'));
    tempDirs.push(dir);
    const file = path.join(dir, 'cloud.sqlite');
    const sqlOf = (store: SqliteStore) =>
      store.db
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'emu_ix_%' ORDER BY name")
        .all()
        .map((row: any) => row.sql.replace(/_[0-9a-f]{8}"/, '"'));
    const first = open(
      file,
      schemaOf([
        { name: 'ix', keys: { day: 1 } },
        { name: 'gone', keys: { tag: 1 } },
      ]),
    );
    first.store.close();
    const second = open(file, schemaOf([{ name: 'ix', keys: { day: 1, bucket: 1 } }]));
    expect(sqlOf(second.store)).toEqual([
      `CREATE INDEX "emu_ix_ev_ix" ON docs(json_extract(body,'$."day"'), json_extract(body,'$."bucket"')) WHERE coll = 'ev'`,
    ]);
    second.store.close();
    // Names are quoted: quotes in a collection or index name are data.
    const odd = open(':memory:', { collections: new Map([[`e'v"`, [{ name: `i"x'`, keys: { day: 1 } }]]]) });
    odd.served.insert(`e'v"`, [{ _id: 'a', day: 'd' }]);
    const read = odd.served.indexRead(`e'v"`, { day: 'd' }) as IndexRead;
    expect(queryPlan(odd.store, read)).toContain('USING INDEX emu_ix_e\'v"_i"x\'_');
    expect(ids(odd.served.find(`e'v"`, { day: 'd' }, {}))).toEqual(['a']);
    odd.store.close();
  });
});
