import { describe, expect, it } from 'vitest';
import { DatabaseEngine } from '../src/db/engine';
import { loadSchema } from '../src/db/schema';
import { storeFor } from '../src/db/store';
import { projectRoot, useTestDatabase } from './support';

/**
 * A funnel job's pages through the real SDK, served by the `day_bucket` index of the fixture schema
 * (`{ day: 1, bucket: 1, _id: 1 }`): cursor pages on `_id` in both directions, skip pages, counts.
 * db-index-reads.test.ts compares the index reads with scans at the engine.
 */
describe('pages by a declared index through the SDK', () => {
  const { cloud, db, _ } = useTestDatabase();
  const DAY = '2026-12-01';
  const BUCKET = 'b01';

  async function seed(): Promise<string[]> {
    const docs = [];
    for (let i = 0; i < 5000; i++) {
      // Insertion order is not _id order: the ids are a scrambled permutation.
      const id = `ev${String((i * 7919) % 5000).padStart(5, '0')}`;
      docs.push({ _id: id, day: `2026-12-0${1 + (i % 2)}`, bucket: `b0${i % 3}`, n: i });
    }
    await cloud.client.db.import({ events: docs });
    return docs
      .filter((doc) => doc.day === DAY && doc.bucket === BUCKET)
      .map((doc) => doc._id)
      .sort();
  }

  /** The read the local cloud plans for a query (the same store and schema as its own engine). */
  function plan(query: Record<string, unknown>, order?: Record<string, number>) {
    const engine = new DatabaseEngine(storeFor(cloud.emulator.ctx.options), cloud.emulator.ctx.clock, loadSchema(projectRoot));
    return engine.indexRead('events', query, order);
  }

  it('pages 5,000 events by an _id cursor, both ways: every matching document once, in order', async () => {
    const expected = await seed();
    expect(plan({ day: DAY, bucket: BUCKET, _id: { $gt: 'ev' } }, { _id: 1 })).toMatchObject({
      index: { name: 'day_bucket' },
      equals: [DAY, BUCKET],
      range: [{ op: '$gt', value: 'ev' }],
      order: 'asc',
    });
    const events = db.collection('events');
    for (const [direction, next] of [
      ['asc', (cursor: string) => _.gt(cursor)],
      ['desc', (cursor: string) => _.lt(cursor)],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const where = cursor === undefined ? { day: DAY, bucket: BUCKET } : { day: DAY, bucket: BUCKET, _id: next(cursor) };
        const { data } = await events.where(where).orderBy('_id', direction).limit(200).field({ _id: true, bucket: true }).get();
        if (data.length === 0) break;
        expect(Object.keys(data[0]).sort()).toEqual(['_id', 'bucket']);
        seen.push(...data.map((doc: any) => doc._id));
        cursor = data[data.length - 1]._id;
      }
      expect(seen).toEqual(direction === 'asc' ? expected : [...expected].reverse());
    }
  });

  it('pages by skip within an _id window, and counts through the index', async () => {
    const expected = await seed();
    const events = db.collection('events');
    const [low, high] = ['ev01000', 'ev04000'];
    const inWindow = expected.filter((id) => id >= low && id < high);
    // `_.gte(low).and(_.lt(high))` reaches the server as a top-level $and of the two bounds.
    const where = { day: DAY, bucket: BUCKET, _id: _.gte(low).and(_.lt(high)) };
    const seen: string[] = [];
    for (let skip = 0; skip < inWindow.length + 100; skip += 100) {
      const { data } = await events.where(where).orderBy('_id', 'asc').skip(skip).limit(100).get();
      seen.push(...data.map((doc: any) => doc._id));
    }
    expect(seen).toEqual(inWindow);
    expect((await events.where(where).count()).total).toBe(inWindow.length);
    expect((await events.where({ day: DAY, bucket: BUCKET }).count()).total).toBe(expected.length);
    // n = i for the i-th import, and this group is i ≡ 4 (mod 6): 4, 10, …, 94.
    expect((await events.where({ day: DAY, bucket: _.eq(BUCKET), n: _.lt(100) }).count()).total).toBe(16);
    // Without an order, insertion order: the first documents imported.
    const { data } = await events.where({ day: DAY, bucket: BUCKET }).limit(3).get();
    expect(data.map((doc: any) => doc.n)).toEqual([4, 10, 16]);
    // An update and a removal by the same conditions match through the index too.
    const updated = await events.where({ day: DAY, bucket: BUCKET, n: _.lt(20) }).update({ data: { seen: true } });
    expect(updated.stats.updated).toBe(3);
    const removed = await events.where({ day: DAY, bucket: BUCKET, seen: true }).remove();
    expect(removed.stats.removed).toBe(3);
    expect((await events.where({ day: DAY, bucket: BUCKET }).count()).total).toBe(expected.length - 3);
  });
});
