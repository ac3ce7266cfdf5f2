import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support';

/**
 * Value types the pinned SDK can put in a document beside the usual ones (issue 17): CloudBase's
 * second-based timestamp literal and `db.ObjectId({ id })`. wx-server-sdk's database does not
 * re-export `ObjectId`; the pinned @cloudbase/database under it (`db._db`) does.
 */
describe('timestamp literals and ObjectIds through the real SDK', () => {
  const { cloud, db, _ } = useTestDatabase();
  beforeEach(async () => {
    await db.createCollection('things');
  });

  const SECONDS = 1_700_000_000;
  const AT = new Date(SECONDS * 1000);

  it('stores { $timestamp: <seconds> } as that date, matches it as one and returns it as a Date', async () => {
    await db.collection('things').add({ data: { _id: 't1', at: { $timestamp: SECONDS }, log: [{ when: { $timestamp: SECONDS + 60 } }] } });
    await db.collection('things').add({ data: { _id: 't2', at: new Date(AT.getTime() - 1000) } });
    const { data } = await db.collection('things').doc('t1').get();
    expect(data.at).toBeInstanceOf(Date);
    expect(data.at.toISOString()).toBe(AT.toISOString());
    expect(data.log[0].when.toISOString()).toBe(new Date((SECONDS + 60) * 1000).toISOString());

    const ids = async (query: Record<string, unknown>) =>
      (await db.collection('things').where(query).get()).data.map((doc: any) => doc._id);
    expect(await ids({ at: _.gte(AT) })).toEqual(['t1']);
    expect(await ids({ at: { $timestamp: SECONDS } })).toEqual(['t1']);
    expect(await ids({ at: _.lt({ $timestamp: SECONDS }) })).toEqual(['t2']);

    await db
      .collection('things')
      .doc('t2')
      .update({ data: { at: { $timestamp: SECONDS + 3600 } } });
    expect((await db.collection('things').doc('t2').get()).data.at.toISOString()).toBe(new Date((SECONDS + 3600) * 1000).toISOString());
    // Stored as a date: the console export shows it as one.
    expect(await cloud.client.db.exportCollection('things')).toContain(`"at":{"$date":"${AT.toISOString()}"}`);
  });

  it('stores db.ObjectId({ id }) outside _id as an ObjectId, matches it as one, and returns the plain id string', async () => {
    const id = '5f0c8f1e2a3b4c5d6e7f8091';
    const other = '5f0c8f1e2a3b4c5d6e7f8092';
    const oid = (hex: string) => db._db.ObjectId({ id: hex });
    await db.collection('things').add({
      data: [
        { _id: 'o1', ref: oid(id), refs: [oid(id), oid(other)], nested: { ref: oid(other) } },
        { _id: 'o2', ref: oid(other) },
        { _id: 's1', ref: id },
      ],
    });
    const { data } = await db.collection('things').doc('o1').get();
    expect(data).toEqual({ _id: 'o1', ref: id, refs: [id, other], nested: { ref: other } });

    const ids = async (query: Record<string, unknown>) =>
      (await db.collection('things').where(query).orderBy('_id', 'asc').get()).data.map((doc: any) => doc._id);
    expect(await ids({ ref: oid(id) })).toEqual(['o1']);
    expect(await ids({ ref: _.in([oid(id), oid(other)]) })).toEqual(['o1', 'o2']);
    expect(await ids({ refs: oid(other) })).toEqual(['o1']);
    expect(await ids({ 'nested.ref': oid(other) })).toEqual(['o1']);
    // A string is not an ObjectId: the plain id matches only the document that stores the string.
    expect(await ids({ ref: id })).toEqual(['s1']);

    // Stored as an ObjectId: the console export shows it as one.
    expect(await cloud.client.db.exportCollection('things')).toContain(`"ref":{"$oid":"${id}"}`);
    const [row] = (await db.collection('things').aggregate().match({ _id: 'o2' }).project({ ref: 1 }).end()).list;
    expect(row).toEqual({ _id: 'o2', ref: other });
  });
});
