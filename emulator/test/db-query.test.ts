import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support';

describe('database reads through the real SDK', () => {
  const { db, _ } = useTestDatabase();
  beforeEach(async () => {
    await db.createCollection('people');
    await db.collection('people').add({
      data: [
        {
          _id: 'p1',
          name: 'Ann',
          age: 31,
          city: 'Shanghai',
          tags: ['a', 'b'],
          profile: { level: 3, vip: true },
          scores: [{ k: 'x', v: 5 }],
        },
        { _id: 'p2', name: 'bob', age: 25, city: 'Beijing', tags: ['b'], profile: { level: 1 }, scores: [{ k: 'x', v: 1 }] },
        { _id: 'p3', name: 'Carl', age: 40, city: 'Shanghai', tags: [], profile: { level: 2, vip: false }, scores: [{ k: 'y', v: 9 }] },
        { _id: 'p4', name: 'Dora', age: 19, city: 'Shenzhen', profile: { level: 5 }, joined: new Date('2024-03-01T00:00:00Z') },
      ],
    });
  });

  const ids = (result: { data: Array<{ _id: string }> }) => result.data.map((doc) => doc._id).sort();

  it('filters with comparison and logic commands', async () => {
    const people = db.collection('people');
    expect(ids(await people.where({ age: _.gt(30) }).get())).toEqual(['p1', 'p3']);
    expect(ids(await people.where({ age: _.gte(25).and(_.lt(40)) }).get())).toEqual(['p1', 'p2']);
    expect(ids(await people.where({ city: _.in(['Beijing', 'Shenzhen']) }).get())).toEqual(['p2', 'p4']);
    expect(ids(await people.where({ city: _.nin(['Shanghai']) }).get())).toEqual(['p2', 'p4']);
    expect(ids(await people.where({ city: _.neq('Shanghai') }).get())).toEqual(['p2', 'p4']);
    expect(ids(await people.where(_.or([{ age: _.lt(20) }, { name: 'Carl' }])).get())).toEqual(['p3', 'p4']);
    expect(ids(await people.where(_.and([{ city: 'Shanghai' }, { age: _.lt(35) }])).get())).toEqual(['p1']);
  });

  it('matches regexes, existence, arrays and nested fields', async () => {
    const people = db.collection('people');
    expect(ids(await people.where({ name: db.RegExp({ regexp: '^b', options: 'i' }) }).get())).toEqual(['p2']);
    expect(ids(await people.where({ name: /^c/i }).get())).toEqual(['p3']);
    expect(ids(await people.where({ tags: _.exists(false) }).get())).toEqual(['p4']);
    expect(ids(await people.where({ tags: 'b' }).get())).toEqual(['p1', 'p2']);
    expect(ids(await people.where({ tags: _.size(0) }).get())).toEqual(['p3']);
    expect(ids(await people.where({ scores: _.elemMatch({ k: 'x', v: _.gt(2) }) }).get())).toEqual(['p1']);
    expect(ids(await people.where({ profile: { level: _.gte(3) } }).get())).toEqual(['p1', 'p4']);
    expect(ids(await people.where({ 'profile.vip': true }).get())).toEqual(['p1']);
    expect(ids(await people.where({ joined: _.gt(new Date('2024-01-01T00:00:00Z')) }).get())).toEqual(['p4']);
  });

  it('orders, skips, limits and projects', async () => {
    const people = db.collection('people');
    const ordered = await people.orderBy('age', 'desc').get();
    expect(ordered.data.map((doc: { _id: string }) => doc._id)).toEqual(['p3', 'p1', 'p2', 'p4']);
    const page = await people.orderBy('age', 'asc').skip(1).limit(2).get();
    expect(page.data.map((doc: { _id: string }) => doc._id)).toEqual(['p2', 'p1']);
    const twoKeys = await people.orderBy('city', 'asc').orderBy('age', 'desc').get();
    expect(twoKeys.data.map((doc: { _id: string }) => doc._id)).toEqual(['p2', 'p3', 'p1', 'p4']);
    const projected = await people.where({ _id: 'p1' }).field({ name: true, 'profile.level': true }).get();
    expect(projected.data).toEqual([{ _id: 'p1', name: 'Ann', profile: { level: 3 } }]);
    const excluded = await people.doc('p2').field({ scores: false, tags: false, profile: false }).get();
    expect(excluded.data).toEqual({ _id: 'p2', name: 'bob', age: 25, city: 'Beijing' });
  });

  it('returns 100 documents by default and at most 1000', async () => {
    await db.createCollection('bulk');
    const bulk = db.collection('bulk');
    for (let start = 0; start < 1100; start += 275) {
      await bulk.add({ data: Array.from({ length: 275 }, (_unused, i) => ({ n: start + i })) });
    }
    expect((await bulk.count()).total).toBe(1100);
    expect((await bulk.get()).data).toHaveLength(100);
    expect((await bulk.limit(5000).get()).data).toHaveLength(1000);
    const last = await bulk.orderBy('n', 'asc').skip(1000).limit(1000).get();
    expect(last.data).toHaveLength(100);
    expect(last.data[0].n).toBe(1000);
  });

  it('gets a document by id and returns dates as Date', async () => {
    const { data } = await db.collection('people').doc('p4').get();
    expect(data.name).toBe('Dora');
    expect(data.joined).toBeInstanceOf(Date);
    expect(data.joined.toISOString()).toBe('2024-03-01T00:00:00.000Z');
  });

  it('counts with and without a filter', async () => {
    expect((await db.collection('people').count()).total).toBe(4);
    expect((await db.collection('people').where({ city: 'Shanghai' }).count()).total).toBe(2);
  });

  it('aggregates with match, group, sort and a lookup across collections', async () => {
    await db.createCollection('orders');
    await db.collection('orders').add({
      data: [
        { person: 'p1', amount: 10 },
        { person: 'p1', amount: 15 },
        { person: 'p3', amount: 7 },
      ],
    });
    const $ = db.command.aggregate;
    const grouped = await db
      .collection('people')
      .aggregate()
      .group({ _id: '$city', n: $.sum(1), avgAge: $.avg('$age') })
      .sort({ n: -1, _id: 1 })
      .end();
    expect(grouped.list).toEqual([
      { _id: 'Shanghai', n: 2, avgAge: 35.5 },
      { _id: 'Beijing', n: 1, avgAge: 25 },
      { _id: 'Shenzhen', n: 1, avgAge: 19 },
    ]);
    const joined = await db
      .collection('people')
      .aggregate()
      .match({ city: 'Shanghai' })
      .lookup({ from: 'orders', localField: '_id', foreignField: 'person', as: 'orders' })
      .project({ _id: 1, total: $.sum('$orders.amount') })
      .sort({ _id: 1 })
      .end();
    expect(joined.list).toEqual([
      { _id: 'p1', total: 25 },
      { _id: 'p3', total: 7 },
    ]);
  });

  it('fails on a missing collection with -502005 as the SDK surfaces it', async () => {
    const error = await db
      .collection('nope')
      .where({ a: 1 })
      .get()
      .then(
        () => undefined,
        (e: any) => e,
      );
    expect(error.errCode).toBe(-502005);
    expect(error.errMsg).toMatch(
      /^collection\.get:fail -502005 database collection not exists\. \[ResourceNotFound\] Db or Table not exist/,
    );
    const addError = await db
      .collection('nope')
      .add({ data: { a: 1 } })
      .catch((e: any) => e);
    expect(addError.errCode).toBe(-502005);
    const countError = await db
      .collection('nope')
      .count()
      .catch((e: any) => e);
    expect(countError.errCode).toBe(-502005);
  });

  it('fails doc().get on a missing document the way the SDK words it', async () => {
    const error = await db
      .collection('people')
      .doc('ghost')
      .get()
      .catch((e: any) => e);
    expect(error.errMsg).toBe('document.get:fail document with _id ghost does not exist');
    expect(error.errCode).toBe(-1);
  });

  it('refuses to create a collection twice', async () => {
    const error = await db.createCollection('people').catch((e: any) => e);
    expect(error.errMsg).toMatch(/createCollection:fail .*Table exist/);
  });
});
