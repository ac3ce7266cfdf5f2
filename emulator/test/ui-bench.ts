/**
 * The web UI's costs, over HTTP as the browser pays them: `npx tsx emulator/test/ui-bench.ts [documents]`
 * (100,000 by default). Prints the bundle's bytes and build time, the import of the documents (JSON lines),
 * then the median and worst time of a page of 50 (client-measured round trip and the route's own
 * `elapsedMs`) for: the first page, a deep keyset page, the `_id` sort, a sort by an unindexed field, a
 * string filter on an indexed field and on an unindexed one, a range filter, a regex. Asserts nothing.
 */
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BrowseQuery } from '../src/client';
import { createCloudClient, startEmulator } from '../src/index';
import { uiBundle } from '../src/ui';

const total = Number(process.argv[2] ?? 100_000);
const RUNS = 7;
const CITIES = ['上海', '北京', '杭州', '深圳'];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value.toFixed(1).padStart(7)} ms`;

async function main(): Promise<void> {
  console.log(
    `node ${process.version} · ${cpus().length} CPUs · load ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  const bundle = await uiBundle();
  console.log(`bundle: app.js ${bundle.bytes.js} B, app.css ${bundle.bytes.css} B (minified, uncompressed), built in ${bundle.buildMs} ms`);

  const emulator = await startEmulator({
    port: 0,
    ephemeral: true,
    quiet: true,
    triggers: false,
    projectRoot: path.join(import.meta.dirname, 'fixtures/project'),
    functionsDir: path.join(import.meta.dirname, 'fixtures/ui-functions'),
  });
  try {
    const client = createCloudClient(emulator.url);
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    // `identities` has a declared index on memberId in the fixture schema; `orders`-like fields otherwise.
    const lines: string[] = [];
    for (let i = 0; i < total; i++) {
      lines.push(
        JSON.stringify({
          _id: `o${String(i).padStart(7, '0')}`,
          memberId: `m${i % 2000}`,
          total: (i * 7919) % 1000,
          city: CITIES[i % CITIES.length],
          at: { $date: new Date(start + i * 60_000).toISOString() },
        }),
      );
    }
    let started = performance.now();
    await client.db.importCollection('identities', lines.join('\n'));
    console.log(`import: ${total} documents in ${ms(performance.now() - started)}`);

    const first = await client.db.page('identities', { limit: 50 });
    // A page deep in the collection: the cursor of the document before it.
    const deepKey = JSON.stringify([null, false, null, Math.floor(total * 0.9)]);
    const cases: Array<[string, BrowseQuery]> = [
      ['first page (insertion order)', {}],
      ['next page (keyset)', { after: first.next ?? undefined }],
      ['page at 90% (keyset)', { after: Buffer.from(deepKey).toString('base64url') }],
      ['sort _id desc', { sort: '_id', order: 'desc' }],
      ['sort total desc (no index)', { sort: 'total', order: 'desc' }],
      ['sort at asc (date, no index)', { sort: 'at' }],
      ['filter memberId (indexed)', { filter: { memberId: 'm7' } }],
      ['filter city (no index)', { filter: { city: '杭州' } }],
      ['filter total range + sort', { filter: { total: { $gte: 990 } }, sort: 'total', order: 'desc' }],
      ['filter regex on _id', { filter: { _id: { $regex: '999$' } } }],
    ];
    console.log(`\npage of 50 from ${total} documents, ${RUNS} runs: median / worst (round trip) · median route time`);
    for (const [label, query] of cases) {
      const trips: number[] = [];
      const routes: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        started = performance.now();
        const page = await client.db.page('identities', { limit: 50, ...query });
        trips.push(performance.now() - started);
        routes.push(page.elapsedMs);
      }
      console.log(`  ${label.padEnd(30)} ${ms(median(trips))} / ${ms(Math.max(...trips))} · ${ms(median(routes))}`);
    }
  } finally {
    await emulator.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
