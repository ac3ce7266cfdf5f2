import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support';

describe('database writes through the real SDK', () => {
  const { cloud, db, _ } = useTestDatabase();
  beforeEach(async () => {
    await db.createCollection('items');
  });

  const read = async (id: string) => (await db.collection('items').doc(id).get()).data;

  it('adds one document with a generated 32-hex _id, and many at once', async () => {
    const one = await db.collection('items').add({ data: { name: 'a' } });
    expect(one._id).toMatch(/^[0-9a-f]{32}$/);
    expect(one.errMsg).toBe('collection.add:ok');
    const many = await db.collection('items').add({ data: [{ name: 'b' }, { _id: 'fixed', name: 'c' }] });
    expect(many._ids).toHaveLength(2);
    expect(many._ids[1]).toBe('fixed');
    expect((await db.collection('items').count()).total).toBe(3);
  });

  it('applies every update command the SDK encodes', async () => {
    await db.collection('items').add({
      data: {
        _id: 'u',
        n: 10,
        m: 3,
        lo: 5,
        hi: 5,
        arr: [1, 2, 3],
        set: ['x'],
        gone: true,
        old: 'name',
        nested: { a: 1, b: { c: 2 } },
        list: [1, 2, 3, 2],
      },
    });
    const res = await db
      .collection('items')
      .doc('u')
      .update({
        data: {
          n: _.inc(5),
          m: _.mul(4),
          lo: _.min(2),
          hi: _.max(9),
          arr: _.push([4, 5]),
          set: _.addToSet('y'),
          gone: _.remove(),
          old: _.rename('renamed'),
          nested: { b: { d: 3 } },
          list: _.pull(2),
        },
      });
    expect(res.stats.updated).toBe(1);
    const doc = await read('u');
    expect(doc).toEqual({
      _id: 'u',
      n: 15,
      m: 12,
      lo: 2,
      hi: 9,
      arr: [1, 2, 3, 4, 5],
      set: ['x', 'y'],
      renamed: 'name',
      nested: { a: 1, b: { c: 2, d: 3 } },
      list: [1, 3],
    });
    await db
      .collection('items')
      .doc('u')
      .update({ data: { arr: _.pop(), set: _.addToSet('x') } });
    await db
      .collection('items')
      .doc('u')
      .update({ data: { arr: _.shift(), list: _.unshift([0]) } });
    await db
      .collection('items')
      .doc('u')
      .update({ data: { nested: _.set({ replaced: true }) } });
    const after = await read('u');
    expect(after.arr).toEqual([2, 3, 4]);
    expect(after.list).toEqual([0, 1, 3]);
    expect(after.nested).toEqual({ replaced: true });
    expect(after.set).toEqual(['x', 'y']);
  });

  it('reports updated: 0 when nothing changes or nothing matches', async () => {
    await db.collection('items').add({ data: { _id: 'same', v: 1 } });
    expect(
      (
        await db
          .collection('items')
          .doc('same')
          .update({ data: { v: 1 } })
      ).stats.updated,
    ).toBe(0);
    expect(
      (
        await db
          .collection('items')
          .doc('missing')
          .update({ data: { v: 1 } })
      ).stats.updated,
    ).toBe(0);
  });

  it('updates every match with where().update and one with multi: false', async () => {
    await db.collection('items').add({
      data: [
        { kind: 'a', v: 1 },
        { kind: 'a', v: 2 },
        { kind: 'b', v: 3 },
      ],
    });
    const res = await db
      .collection('items')
      .where({ kind: 'a' })
      .update({ data: { v: _.inc(10), seen: true } });
    expect(res.stats.updated).toBe(2);
    const { data } = await db.collection('items').orderBy('v', 'asc').get();
    expect(data.map((doc: any) => [doc.kind, doc.v, doc.seen])).toEqual([
      ['b', 3, undefined],
      ['a', 11, true],
      ['a', 12, true],
    ]);
  });

  it('set replaces an existing document and creates a missing one', async () => {
    await db.collection('items').add({ data: { _id: 's', a: 1, b: 2 } });
    const replaced = await db
      .collection('items')
      .doc('s')
      .set({ data: { c: 3 } });
    expect(replaced).toMatchObject({ _id: 's', stats: { updated: 1, created: 0 } });
    expect(await read('s')).toEqual({ _id: 's', c: 3 });
    const created = await db
      .collection('items')
      .doc('new-one')
      .set({ data: { d: 4 } });
    expect(created).toMatchObject({ _id: 'new-one', stats: { updated: 0, created: 1 } });
    expect(await read('new-one')).toEqual({ _id: 'new-one', d: 4 });
  });

  it('removes one document by id and many by query', async () => {
    await db.collection('items').add({
      data: [
        { _id: 'r1', k: 1 },
        { _id: 'r2', k: 2 },
        { _id: 'r3', k: 2 },
        { _id: 'r4', k: 3 },
      ],
    });
    expect((await db.collection('items').doc('r1').remove()).stats.removed).toBe(1);
    expect((await db.collection('items').doc('r1').remove()).stats.removed).toBe(0);
    expect((await db.collection('items').where({ k: 2 }).remove()).stats.removed).toBe(2);
    const left = await db.collection('items').get();
    expect(left.data.map((doc: any) => doc._id)).toEqual(['r4']);
  });

  it('resolves serverDate on the emulator clock in data, updates and queries', async () => {
    const set = await cloud.client.clock.set('2031-05-06T07:08:09.000Z');
    await db.collection('items').add({ data: { _id: 'd', at: db.serverDate(), later: db.serverDate({ offset: 60_000 }) } });
    const after = await cloud.client.clock.get();
    const doc = await read('d');
    expect(doc.at).toBeInstanceOf(Date);
    // Resolved by the local cloud on its clock, between setting it and reading it back.
    expect(doc.at.getTime()).toBeGreaterThanOrEqual(Date.parse(set.now));
    expect(doc.at.getTime()).toBeLessThanOrEqual(Date.parse(after.now));
    expect(doc.later.getTime() - doc.at.getTime()).toBe(60_000);
    await cloud.client.clock.set('2032-01-01T00:00:00.000Z');
    await db
      .collection('items')
      .doc('d')
      .update({ data: { touched: db.serverDate() } });
    expect((await read('d')).touched.getUTCFullYear()).toBe(2032);
    const before = await db
      .collection('items')
      .where({ at: _.lt(db.serverDate()) })
      .get();
    expect(before.data).toHaveLength(1);
  });

  it('refuses a duplicate _id with E11000 (errCode -502001)', async () => {
    await db.collection('items').add({ data: { _id: 'dup', v: 1 } });
    const error = await db
      .collection('items')
      .add({ data: { _id: 'dup', v: 2 } })
      .catch((e: any) => e);
    expect(error.errCode).toBe(-502001);
    expect(error.errMsg).toContain('E11000 duplicate key error collection: items index: _id_ dup key: { _id: "dup" }');
    expect((await read('dup')).v).toBe(1);
    // An array insert is all or nothing.
    const batch = await db
      .collection('items')
      .add({ data: [{ _id: 'fresh' }, { _id: 'dup' }] })
      .catch((e: any) => e);
    expect(batch.errCode).toBe(-502001);
    expect((await db.collection('items').where({ _id: 'fresh' }).count()).total).toBe(0);
  });

  it('enforces the unique sparse index of cloud/schema.json on insert, update and upsert', async () => {
    const members = db.collection('members');
    await members.add({ data: { _id: 'm1', unionid: 'u-1' } });
    // Sparse: any number of members without a unionid.
    await members.add({ data: [{ _id: 'm2' }, { _id: 'm3' }] });
    const insertError = await members.add({ data: { _id: 'm4', unionid: 'u-1' } }).catch((e: any) => e);
    expect(insertError.errCode).toBe(-502001);
    expect(insertError.errMsg).toContain(
      'E11000 duplicate key error collection: members index: unionid_unique dup key: { unionid: "u-1" }',
    );
    const updateError = await members
      .doc('m2')
      .update({ data: { unionid: 'u-1' } })
      .catch((e: any) => e);
    expect(updateError.errMsg).toContain('index: unionid_unique');
    const upsertError = await members
      .doc('m9')
      .set({ data: { unionid: 'u-1' } })
      .catch((e: any) => e);
    expect(upsertError.errMsg).toContain('index: unionid_unique');
    const multiError = await members
      .where({ _id: _.in(['m2', 'm3']) })
      .update({ data: { unionid: 'u-2' } })
      .catch((e: any) => e);
    expect(multiError.errMsg).toContain('dup key: { unionid: "u-2" }');
    expect((await members.where({ unionid: _.exists(true) }).count()).total).toBe(1);
    await members.doc('m2').update({ data: { unionid: 'u-2' } });
    expect((await members.doc('m2').get()).data.unionid).toBe('u-2');
  });

  it('ends 50 concurrent inc updates on one document at exactly +50', async () => {
    await db.collection('items').add({ data: { _id: 'counter', n: 0 } });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        db
          .collection('items')
          .doc('counter')
          .update({ data: { n: _.inc(1) } }),
      ),
    );
    expect(results.every((r: any) => r.stats.updated === 1)).toBe(true);
    expect((await read('counter')).n).toBe(50);
  });

  it('reset clears the data and recreates the schema collections', async () => {
    await db.collection('members').add({ data: { _id: 'x' } });
    await cloud.client.reset();
    expect((await db.collection('members').count()).total).toBe(0);
    const error = await db
      .collection('items')
      .count()
      .catch((e: any) => e);
    expect(error.errCode).toBe(-502005);
  });
});
