import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support';

/**
 * Transactions beyond single documents, as production accepts them (issue 17): `where()` queries,
 * batch `add`, `updateAndReturn` and `options({ raw: true })` inside a transaction, with its snapshot
 * and conflict rules. wx-server-sdk's wrappers expose `where().get/count/update/remove` and `add`; the
 * pinned @cloudbase/database below them (`tx._transaction`) also has `updateAndReturn` and `options`.
 */

const CONFLICT =
  '[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others. Please check your request, but if the problem persists, contact us.';

describe('multi-document transactions through the real SDK', () => {
  const { db, _ } = useTestDatabase();
  beforeEach(async () => {
    await db.createCollection('accounts');
    await db.collection('accounts').add({
      data: [
        { _id: 'a', balance: 100, team: 'red' },
        { _id: 'b', balance: 0, team: 'red' },
        { _id: 'c', balance: 50, team: 'blue' },
      ],
    });
  });

  const committed = async (query: Record<string, unknown> = {}) =>
    (await db.collection('accounts').where(query).orderBy('_id', 'asc').get()).data;
  /** The pinned @cloudbase/database transaction under wx-server-sdk's wrapper. */
  const raw = (tx: any) => tx._transaction;

  it("where().get() sees the transaction's snapshot and own writes, not others' uncommitted ones", async () => {
    const tx = await db.startTransaction();
    const other = await db.startTransaction();
    await other
      .collection('accounts')
      .doc('x')
      .set({ data: { balance: 5, team: 'red' } });
    await other
      .collection('accounts')
      .doc('b')
      .update({ data: { balance: 7 } });
    // Committed after the transaction began: not in its snapshot.
    await db
      .collection('accounts')
      .doc('c')
      .update({ data: { team: 'red' } });
    await db.collection('accounts').add({ data: { _id: 'late', balance: 1, team: 'red' } });
    await tx
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: _.inc(-10) } });
    await tx.collection('accounts').add({ data: { _id: 'd', balance: 9, team: 'red' } });

    const red = await tx.collection('accounts').where({ team: 'red' }).orderBy('balance', 'desc').get();
    expect(red.data).toEqual([
      { _id: 'a', balance: 90, team: 'red' },
      { _id: 'd', balance: 9, team: 'red' },
      { _id: 'b', balance: 0, team: 'red' },
    ]);
    const page = await tx
      .collection('accounts')
      .where({ balance: _.gte(0) })
      .orderBy('_id', 'asc')
      .skip(1)
      .limit(2)
      .field({ balance: true })
      .get();
    expect(page.data).toEqual([
      { _id: 'b', balance: 0 },
      { _id: 'c', balance: 50 },
    ]);
    await tx.collection('accounts').doc('d').remove();
    expect(
      (
        await tx
          .collection('accounts')
          .where({ _id: _.in(['a', 'd']) })
          .get()
      ).data,
    ).toEqual([{ _id: 'a', balance: 90, team: 'red' }]);
    // Outside, nothing of the transaction's is visible before commit.
    expect((await committed({ _id: 'a' }))[0].balance).toBe(100);
    await tx.commit();
    await other.rollback();
    expect(await committed()).toEqual([
      { _id: 'a', balance: 90, team: 'red' },
      { _id: 'b', balance: 0, team: 'red' },
      { _id: 'c', balance: 50, team: 'red' },
      { _id: 'late', balance: 1, team: 'red' },
    ]);
  });

  it('the pinned SDK sends where().count(), update() and remove() without the transaction id: they run outside it', async () => {
    const tx = await db.startTransaction();
    await tx.collection('accounts').add({ data: { _id: 'd', balance: 9, team: 'red' } });
    // Counts the committed collection: the transaction's own insert is not in it.
    expect((await tx.collection('accounts').where({ team: 'red' }).count()).total).toBe(2);
    const updated = await tx
      .collection('accounts')
      .where({ team: 'blue' })
      .update({ data: { balance: _.inc(1) } });
    expect(updated.stats.updated).toBe(1);
    expect((await committed({ _id: 'c' }))[0].balance).toBe(51);
    await tx.collection('accounts').where({ _id: 'b' }).remove();
    expect(await committed({ _id: 'b' })).toEqual([]);
    // ...so the transaction's snapshot still has "c" as it was, and writing it now is a conflict.
    expect((await tx.collection('accounts').where({ _id: 'c' }).get()).data[0].balance).toBe(50);
    const error = await tx
      .collection('accounts')
      .doc('c')
      .update({ data: { balance: 0 } })
      .catch((e: any) => e);
    expect(error.errMsg).toBe(`document.update:fail -501001 resource system error. ${CONFLICT}`);
  });

  it('serves where() count, update and remove that carry the transaction id (as the SDK sends updateAndReturn)', async () => {
    const tx = await db.startTransaction();
    const transactionId = raw(tx).getTransactionId();
    const send = (action: string, params: Record<string, unknown>) =>
      raw(tx)
        .getRequestMethod()
        .send(action, { collectionName: 'accounts', queryType: 'WHERE', transactionId, ...params });
    await tx.collection('accounts').add({ data: { _id: 'd', balance: 9, team: 'red' } });
    expect((await send('database.calculateDocument', { query: '{"team":"red"}' })).data.total).toBe(3);
    const updated = await send('database.modifyDocument', {
      query: '{"team":"red"}',
      data: '{"$inc":{"balance":{"$numberInt":"1"}}}',
      multi: true,
      merge: true,
      upsert: false,
    });
    expect(updated.data.updated).toBe(3);
    expect((await send('database.removeDocument', { query: '{"balance":{"$lte":{"$numberInt":"10"}}}', multi: true })).data.deleted).toBe(
      2,
    );
    expect((await tx.collection('accounts').where({}).orderBy('_id', 'asc').get()).data).toEqual([
      { _id: 'a', balance: 101, team: 'red' },
      { _id: 'c', balance: 50, team: 'blue' },
    ]);
    expect((await committed()).map((doc: any) => doc.balance)).toEqual([100, 0, 50]);
    await tx.commit();
    expect(await committed()).toEqual([
      { _id: 'a', balance: 101, team: 'red' },
      { _id: 'c', balance: 50, team: 'blue' },
    ]);
  });

  it('a batch add of 1,001 documents commits them together, and a rollback discards them', async () => {
    const docs = (prefix: string) => Array.from({ length: 1001 }, (_unused, i) => ({ _id: `${prefix}${i}`, n: i, batch: prefix }));
    const kept = await db.startTransaction();
    const added = await kept.collection('accounts').add({ data: docs('k') });
    expect(added._ids).toHaveLength(1001);
    expect((await kept.collection('accounts').where({ batch: 'k' }).limit(1000).get()).data).toHaveLength(1000);
    expect((await db.collection('accounts').where({ batch: 'k' }).count()).total).toBe(0);
    await kept.commit();
    expect((await db.collection('accounts').where({ batch: 'k' }).count()).total).toBe(1001);

    const dropped = await db.startTransaction();
    await dropped.collection('accounts').add({ data: docs('r') });
    await dropped.rollback();
    expect((await db.collection('accounts').where({ batch: 'r' }).count()).total).toBe(0);
  });

  it('updateAndReturn inside a transaction updates its first match in the snapshot and returns it', async () => {
    const tx = await db.startTransaction();
    await tx.collection('accounts').add({ data: { _id: 'd', balance: 200, team: 'green' } });
    const first = await raw(tx)
      .collection('accounts')
      .where({ balance: _.gt(60) })
      .updateAndReturn({ balance: _.inc(5) });
    expect(first).toMatchObject({ updated: 1, doc: { _id: 'a', balance: 105, team: 'red' } });
    const own = await raw(tx)
      .collection('accounts')
      .where({ team: 'green' })
      .updateAndReturn({ balance: _.inc(-100) });
    expect(own).toMatchObject({ updated: 1, doc: { _id: 'd', balance: 100, team: 'green' } });
    const none = await raw(tx).collection('accounts').where({ team: 'none' }).updateAndReturn({ balance: 1 });
    expect(none).toMatchObject({ updated: 0, doc: null });
    expect((await committed({ _id: 'a' }))[0].balance).toBe(100);
    await tx.commit();
    expect((await committed()).map((doc: any) => [doc._id, doc.balance])).toEqual([
      ['a', 105],
      ['b', 0],
      ['c', 50],
      ['d', 100],
    ]);
  });

  it('options({ raw: true }) queries and updates ($eq, $set) run inside the transaction', async () => {
    const tx = await db.startTransaction();
    const accounts = raw(tx).collection('accounts').options({ raw: true });
    expect((await accounts.where({ balance: { $eq: 100 } }).get()).data).toEqual([{ _id: 'a', balance: 100, team: 'red' }]);
    expect((await accounts.doc('a').update({ $set: { balance: 1, 'meta.note': 'raw' } })).updated).toBe(1);
    expect((await accounts.where({ balance: { $eq: 1 } }).get()).data).toEqual([
      { _id: 'a', balance: 1, team: 'red', meta: { note: 'raw' } },
    ]);
    const returned = await accounts.where({ team: { $eq: 'blue' } }).updateAndReturn({ balance: _.inc(1) });
    expect(returned.doc).toEqual({ _id: 'c', balance: 51, team: 'blue' });
    expect((await committed({ _id: 'a' }))[0]).toEqual({ _id: 'a', balance: 100, team: 'red' });
    await tx.commit();
    expect((await committed()).map((doc: any) => doc.balance)).toEqual([1, 0, 51]);
  });

  it('a where-matched write to a document changed outside after the transaction began is a conflict', async () => {
    const tx = await db.startTransaction();
    await db
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 99 } });
    // The snapshot still matches "a" (balance 100); writing it is a conflict, and the transaction is over.
    const error = await raw(tx)
      .collection('accounts')
      .where({ balance: _.gte(100) })
      .updateAndReturn({ balance: 0 })
      .catch((e: any) => e);
    expect(error).toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT', message: CONFLICT });
    const late = await tx.commit().catch((e: any) => e);
    expect(late.code).toBe('DATABASE_TRANSACTION_FAIL');
    expect((await committed({ _id: 'a' }))[0].balance).toBe(99);
  });

  it('two concurrent transactions on overlapping documents: the second writer conflicts, the first commits', async () => {
    const t1 = await db.startTransaction();
    const t2 = await db.startTransaction();
    await t1.collection('accounts').add({
      data: [
        { _id: 'n1', balance: 1 },
        { _id: 'n2', balance: 1 },
      ],
    });
    await raw(t1).collection('accounts').where({ team: 'blue' }).updateAndReturn({ balance: 0 });
    // "n2" is t1's uncommitted insert: invisible to t2, but t2 cannot insert it too.
    expect(
      (
        await t2
          .collection('accounts')
          .where({ _id: _.in(['n1', 'n2']) })
          .get()
      ).data,
    ).toEqual([]);
    const error = await t2
      .collection('accounts')
      .add({
        data: [
          { _id: 'n3', balance: 2 },
          { _id: 'n2', balance: 2 },
        ],
      })
      .catch((e: any) => e);
    expect(error.errMsg).toBe(`collection.add:fail -501001 resource system error. ${CONFLICT}`);
    await t1.commit();
    await t2.rollback();
    expect((await committed()).map((doc: any) => [doc._id, doc.balance])).toEqual([
      ['a', 100],
      ['b', 0],
      ['c', 0],
      ['n1', 1],
      ['n2', 1],
    ]);

    // The same over a where()-matched document: the second updateAndReturn on "c" conflicts.
    const t3 = await db.startTransaction();
    const t4 = await db.startTransaction();
    await raw(t3).collection('accounts').where({ _id: 'c' }).updateAndReturn({ balance: 3 });
    const lost = await raw(t4)
      .collection('accounts')
      .where({ team: 'blue' })
      .updateAndReturn({ balance: 4 })
      .catch((e: any) => e);
    expect(lost).toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT', message: CONFLICT });
    await t3.commit();
    expect((await committed({ _id: 'c' }))[0].balance).toBe(3);
  });

  it('unique indexes hold for batch adds inside a transaction and again at commit', async () => {
    const clash = await db
      .runTransaction(async (tx: any) => {
        await tx.collection('members').add({
          data: [
            { _id: 'm1', unionid: 'u-1' },
            { _id: 'm2', unionid: 'u-1' },
          ],
        });
      })
      .catch((e: any) => e);
    expect(clash.errMsg).toContain('E11000 duplicate key error collection: members index: unionid_unique');
    expect((await db.collection('members').count()).total).toBe(0);

    const tx = await db.startTransaction();
    await tx.collection('members').add({ data: [{ _id: 'm3', unionid: 'u-3' }] });
    await db.collection('members').add({ data: { _id: 'm4', unionid: 'u-3' } });
    const atCommit = await tx.commit().catch((e: any) => e);
    expect(atCommit.message).toContain('E11000 duplicate key error collection: members index: unionid_unique');
    expect((await db.collection('members').where({ unionid: 'u-3' }).get()).data).toEqual([{ _id: 'm4', unionid: 'u-3' }]);
  });
});
