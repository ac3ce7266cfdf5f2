/**
 * Reads by index against a scan, at the engine (no HTTP): `npx tsx emulator/test/index-bench.ts [documents]
 * [folder]` (200,000 by default; a folder keeps the sqlite file, and a second run on it skips the fills). Fills an `events` collection with the funnel's index `{ day, bucket, _id }`, then
 * times a page of 1,000 by `_id` cursor, a first page, a count and an update by the same conditions, once
 * served by the index and once by a scan (`indexReads: false`). The collection is filled once without and
 * once with the index (write cost), in a temp sqlite file as persistent mode keeps it, which is then
 * reopened as a restart would. Prints times only; asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Doc } from '../src/db/ejson';
import { DatabaseEngine } from '../src/db/engine';
import type { Schema } from '../src/db/schema';
import { SqliteStore } from '../src/db/store';
import { createClock } from '../src/services';

const total = Number(process.argv[2] ?? 200_000);
const DAYS = 30;
const BUCKETS = 16;
const schema: Schema = { collections: new Map([['events', [{ name: 'day_bucket', keys: { day: 1, bucket: 1, _id: 1 } }]]]) };
const bare: Schema = { collections: new Map([['events', []]]) };

const day = (i: number) => `2026-12-${String(1 + (i % DAYS)).padStart(2, '0')}`;
const bucket = (i: number) => `b${String(Math.floor(i / DAYS) % BUCKETS).padStart(2, '0')}`;

function fill(engine: DatabaseEngine): number {
  const started = performance.now();
  for (let start = 0; start < total; start += 10_000) {
    const docs: Doc[] = [];
    for (let i = start; i < Math.min(start + 10_000, total); i++) {
      docs.push({
        _id: randomBytes(16).toString('hex'),
        day: day(i),
        bucket: bucket(i),
        kind: i % 7 ? 'visit' : 'login',
        memberId: `m${i % 5000}`,
        at: new Date(Date.UTC(2026, 11, 1 + (i % DAYS), 0, 0, i % 86_400)),
        props: { from: 'tpl', nk: i % 7, path: '/pages/index/index' },
      });
    }
    engine.insert('events', docs);
  }
  return performance.now() - started;
}

function time(fn: () => unknown, runs = 5): { ms: number; result: unknown } {
  const samples: number[] = [];
  let result: unknown;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = fn();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], result };
}

const fmt = (ms: number) => `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms`;

console.log(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
);
console.log(
  `${total.toLocaleString('en')} events, ${DAYS} days × ${BUCKETS} buckets (≈${Math.round(total / DAYS / BUCKETS)} per group), sqlite file`,
);

const keep = process.argv[3];
const dir = keep ? path.resolve(keep) : mkdtempSync(path.join(tmpdir(), 'duet-index-bench-'));
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `events-${total}.sqlite`);
if (existsSync(file)) {
  console.log(`reusing ${file}`);
} else {
  {
    const store = new SqliteStore(path.join(dir, 'bare.sqlite'));
    const engine = new DatabaseEngine(store, createClock(), bare);
    engine.ensureSchemaCollections();
    console.log(`fill without the index: ${fmt(fill(engine))}`);
    store.close();
    // A data folder of a version without reads by index: the first start builds the index.
    const started = performance.now();
    const upgraded = new SqliteStore(path.join(dir, 'bare.sqlite'));
    new DatabaseEngine(upgraded, createClock(), schema);
    console.log(`first start on those rows (builds the index): ${fmt(performance.now() - started)}`);
    upgraded.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(dir, `bare.sqlite${suffix}`), { force: true });
  }
  const store = new SqliteStore(file);
  const engine = new DatabaseEngine(store, createClock(), schema);
  engine.ensureSchemaCollections();
  console.log(`fill with the index:    ${fmt(fill(engine))}`);
  store.close();
}

// A restart: the index is there; the first read looks once at the stored rows for arrays and odd ids.
let started = performance.now();
const store = new SqliteStore(file);
const clock = createClock();
const served = new DatabaseEngine(store, clock, schema);
const scan = new DatabaseEngine(store, clock, schema, { indexReads: false });
console.log(`reopen: ${fmt(performance.now() - started)}`);
started = performance.now();
store.indexFacts('events');
console.log(`first look at the stored rows (multikey, ids): ${fmt(performance.now() - started)}`);

const group = { day: day(7), bucket: bucket(7 + DAYS * 3) };
const ids = scan.find('events', group, { order: { _id: 1 }, limit: 1000 }).map((doc) => doc._id as string);
const cursor = ids[Math.floor(ids.length / 2)];
const cases: Array<[string, (engine: DatabaseEngine) => unknown]> = [
  [
    'page of 1,000 after a cursor (_id asc)',
    (e) => e.find('events', { ...group, _id: { $gt: cursor } }, { order: { _id: 1 }, limit: 1000 }).length,
  ],
  ['first page of 1,000 (_id desc)', (e) => e.find('events', group, { order: { _id: -1 }, limit: 1000 }).length],
  ['page of 100, no order (insertion)', (e) => e.find('events', { ...group, kind: 'login' }, { limit: 100 }).length],
  ['count of the group', (e) => e.count('events', group)],
];
console.log('');
console.log('case | by index | scan | documents');
for (const [name, run] of cases) {
  const byIndex = time(() => run(served));
  const byScan = time(() => run(scan), total > 300_000 ? 1 : 3);
  if (JSON.stringify(byIndex.result) !== JSON.stringify(byScan.result)) throw new Error(`${name}: answers differ`);
  console.log(`${name} | ${fmt(byIndex.ms)} | ${fmt(byScan.ms)} | ${byIndex.result}`);
}
store.close();
if (!keep) rmSync(dir, { recursive: true, force: true });
