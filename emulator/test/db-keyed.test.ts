import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support';

/**
 * Queries that name their `_id`s are read by key and unique indexes are checked by lookup (the
 * engine's shortcuts for large collections): the answers must be exactly what a scan gives.
 */
describe('database shortcuts by _id and unique index', () => {
  const { cloud, db, _ } = useTestDatabase();
  beforeEach(async () => {
    await db.createCollection('items');
    await db.collection('items').add({
      data: [
        { _id: 'c', n: 3, at: new Date('2030-01-03T00:00:00Z') },
        { _id: 'a', n: 1 },
        { _id: 'b', n: 2, at: new Date('2030-01-01T00:00:00Z') },
        { _id: 7, n: 7 },
      ],
    });
  });
  const ids = (result: { data: Array<{ _id: unknown }> }) => result.data.map((doc) => doc._id);

  it('answers _.in on _id in insertion order, missing ids left out, other conditions still applied', async () => {
    const items = db.collection('items');
    expect(ids(await items.where({ _id: _.in(['b', 'zz', 'c', 'a']) }).get())).toEqual(['c', 'a', 'b']);
    expect(ids(await items.where({ _id: _.in(['b', 'c', 7]), n: _.gt(2) }).get())).toEqual(['c', 7]);
    expect(
      ids(
        await items
          .where({ _id: _.in(['a', 'b', 'c']) })
          .limit(2)
          .get(),
      ),
    ).toEqual(['c', 'a']);
    expect(
      ids(
        await items
          .where({ _id: _.in(['a', 'b', 'c']) })
          .orderBy('n', 'desc')
          .get(),
      ),
    ).toEqual(['c', 'b', 'a']);
    expect((await items.where({ _id: _.in(['a', 'c', 'nope']) }).count()).total).toBe(2);
    expect(ids(await items.where({ _id: _.eq('b') }).get())).toEqual(['b']);
    expect(ids(await items.where({ _id: _.in([]) }).get())).toEqual([]);
  });

  it('answers an _.or whose branches each name an _id, and an _.and with one, as a scan would', async () => {
    const items = db.collection('items');
    const cut = new Date('2030-01-02T00:00:00Z');
    const either = _.or([
      { _id: 'b', at: _.lte(cut) },
      { _id: 'a', at: _.exists(false) },
      { _id: 'c', at: _.lte(cut) },
    ]);
    expect(ids(await items.where(either).get())).toEqual(['a', 'b']);
    expect(ids(await items.where(_.and([{ _id: 'c' }, { n: _.gte(3) }])).get())).toEqual(['c']);
    expect(ids(await items.where(_.and([{ _id: 'c' }, { n: _.lt(3) }])).get())).toEqual([]);
    // A branch without an _id: every document is a candidate.
    expect(ids(await items.where(_.or([{ _id: 'a' }, { n: 7 }])).get())).toEqual(['a', 7]);
    // A conditional update by _id (as the follow state is written) changes the matching one only.
    const updated = await items.where(either).update({ data: { hit: true } });
    expect(updated.stats.updated).toBe(2);
    expect(ids(await items.where({ hit: true }).get())).toEqual(['a', 'b']);
    const removed = await items.where({ _id: _.in(['a', 'c']) }).remove();
    expect(removed.stats.removed).toBe(2);
    expect(ids(await items.get())).toEqual(['b', 7]);
  });

  it('keeps the unique index right through updates, removals, failed writes, transactions and reset', async () => {
    const members = db.collection('members');
    await members.add({ data: [{ _id: 'm1', unionid: 'u-1' }, { _id: 'm2', unionid: 'u-2' }, { _id: 'm3' }] });
    const refused = async (write: Promise<unknown>) => ((await write.catch((e: any) => e)) as any).errCode;
    expect(await refused(members.add({ data: { _id: 'm4', unionid: 'u-1' } }))).toBe(-502001);
    // A batch that clashes with itself is refused whole.
    expect(
      await refused(
        members.add({
          data: [
            { _id: 'm5', unionid: 'u-9' },
            { _id: 'm6', unionid: 'u-9' },
          ],
        }),
      ),
    ).toBe(-502001);
    expect((await members.where({ _id: _.in(['m5', 'm6']) }).count()).total).toBe(0);
    // A value an update gives up, and one a removal gives up, can be taken again.
    await members.doc('m1').update({ data: { unionid: 'u-1b' } });
    await members.add({ data: { _id: 'm4', unionid: 'u-1' } });
    expect(await refused(members.doc('m3').update({ data: { unionid: 'u-1b' } }))).toBe(-502001);
    await members.doc('m2').remove();
    await members.doc('m3').update({ data: { unionid: 'u-2' } });
    // A transaction checks at commit against what is committed by then.
    const result = await db
      .runTransaction(async (tx: any) => {
        await tx
          .collection('members')
          .doc('m1')
          .update({ data: { unionid: 'u-3' } });
        await tx.collection('members').add({ data: { _id: 'm7', unionid: 'u-1b' } });
      })
      .catch((e: any) => e);
    expect(result).toBeUndefined();
    expect(await refused(members.add({ data: { _id: 'm8', unionid: 'u-3' } }))).toBe(-502001);
    const stored = (await members.orderBy('_id', 'asc').get()).data.map((m: any) => [m._id, m.unionid ?? null]);
    expect(stored).toEqual([
      ['m1', 'u-3'],
      ['m3', 'u-2'],
      ['m4', 'u-1'],
      ['m7', 'u-1b'],
    ]);
    await cloud.client.reset();
    await members.add({ data: { _id: 'fresh', unionid: 'u-1' } });
    expect((await members.count()).total).toBe(1);
  });
});
