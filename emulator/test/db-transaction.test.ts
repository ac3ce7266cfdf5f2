import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support';

/** Production's words, verbatim (issue 17): code that matches on them must behave the same locally. */
const NOT_EXIST =
  '[ResourceUnavailable.TransactionNotExist] Transaction does not exist on the server, transaction must be commit or abort in 30 seconds. Please check your request, but if the problem persists, contact us.';
const CONFLICT =
  '[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others. Please check your request, but if the problem persists, contact us.';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('database transactions through the real SDK', () => {
  const { cloud, db, _ } = useTestDatabase();
  beforeEach(async () => {
    await db.createCollection('accounts');
    await db.collection('accounts').add({
      data: [
        { _id: 'a', balance: 100 },
        { _id: 'b', balance: 0 },
      ],
    });
  });

  const balance = async (id: string) => (await db.collection('accounts').doc(id).get()).data.balance;

  it('runTransaction applies all writes at commit and returns the callback result', async () => {
    const result = await db.runTransaction(async (tx: any) => {
      const a = await tx.collection('accounts').doc('a').get();
      await tx
        .collection('accounts')
        .doc('a')
        .update({ data: { balance: _.inc(-30) } });
      await tx
        .collection('accounts')
        .doc('b')
        .update({ data: { balance: _.inc(30) } });
      await tx.collection('accounts').add({ data: { _id: 'log1', moved: 30 } });
      // Not visible outside before commit.
      expect(await balance('a')).toBe(100);
      expect((await db.collection('accounts').where({ _id: 'log1' }).count()).total).toBe(0);
      return a.data.balance;
    });
    expect(result).toBe(100);
    expect(await balance('a')).toBe(70);
    expect(await balance('b')).toBe(30);
    expect((await db.collection('accounts').doc('log1').get()).data.moved).toBe(30);
  });

  it('reads a snapshot as of its start plus its own writes', async () => {
    const tx = await db.startTransaction();
    await db
      .collection('accounts')
      .doc('b')
      .update({ data: { balance: 55 } });
    expect((await tx.collection('accounts').doc('b').get()).data.balance).toBe(0);
    await tx
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: _.inc(1) } });
    expect((await tx.collection('accounts').doc('a').get()).data.balance).toBe(101);
    await tx
      .collection('accounts')
      .doc('c')
      .set({ data: { balance: 7 } });
    expect((await tx.collection('accounts').doc('c').get()).data).toEqual({ _id: 'c', balance: 7 });
    await tx.collection('accounts').doc('c').remove();
    const gone = await tx
      .collection('accounts')
      .doc('c')
      .get()
      .catch((e: any) => e);
    expect(gone.errMsg).toBe('document.get:fail document with _id c does not exist');
    await tx.commit();
    expect(await balance('a')).toBe(101);
    expect(await balance('b')).toBe(55);
  });

  it('rollback discards the writes', async () => {
    const tx = await db.startTransaction();
    await tx
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 0 } });
    await tx.rollback();
    expect(await balance('a')).toBe(100);
  });

  it('first writer wins: the second transaction writing the same document fails with TransactionConflict', async () => {
    const t1 = await db.startTransaction();
    const t2 = await db.startTransaction();
    await t1
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 1 } });
    const error = await t2
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 2 } })
      .catch((e: any) => e);
    expect(error.errMsg).toBe(`document.update:fail -501001 resource system error. ${CONFLICT}`);
    await t1.commit();
    expect(await balance('a')).toBe(1);
    // The loser is aborted: committing it fails, rolling it back is accepted.
    const late = await t2.commit().catch((e: any) => e);
    expect(late.code).toBe('DATABASE_TRANSACTION_FAIL');
    await t2.rollback();
  });

  it('a transaction cannot write a document changed after its snapshot', async () => {
    const tx = await db.startTransaction();
    await db
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 90 } });
    const error = await tx
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: _.inc(-10) } })
      .catch((e: any) => e);
    expect(error.errMsg).toBe(`document.update:fail -501001 resource system error. ${CONFLICT}`);
    expect(await balance('a')).toBe(90);
  });

  it("commit reports a conflict with production's code and words", async () => {
    const tx = await db.startTransaction();
    await tx
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 1 } });
    await db
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 2 } });
    const error = await tx.commit().catch((e: any) => e);
    expect(error).toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT', message: CONFLICT });
    expect(await balance('a')).toBe(2);
  });

  it("an operation on a committed transaction fails with production's code and words", async () => {
    const tx = await db.startTransaction();
    await tx
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 1 } });
    await tx.commit();
    const read = await tx
      .collection('accounts')
      .doc('a')
      .get()
      .catch((e: any) => e);
    expect(read.errMsg).toBe(`document.get:fail -501001 resource system error. ${NOT_EXIST}`);
    const again = await tx.commit().catch((e: any) => e);
    expect(again).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL', message: NOT_EXIST });
  });

  it('runTransaction does not retry a conflict raised by a write inside the callback', async () => {
    const bothRead = { a: deferred(), b: deferred() };
    const aWrote = deferred();
    let runs = 0;
    const transfer = (me: 'a' | 'b', other: 'a' | 'b') =>
      db.runTransaction(async (tx: any) => {
        runs += 1;
        const doc = await tx.collection('accounts').doc('a').get();
        bothRead[me].resolve();
        await bothRead[other].promise;
        // "b" writes second, after "a" holds the document.
        if (me === 'b') await aWrote.promise;
        await tx
          .collection('accounts')
          .doc('a')
          .update({ data: { balance: doc.data.balance - 10 } });
        if (me === 'a') aWrote.resolve();
      });
    const results = await Promise.allSettled([transfer('a', 'b'), transfer('b', 'a')]);
    expect(results[0].status).toBe('fulfilled');
    expect(results[1].status).toBe('rejected');
    expect(String((results[1] as PromiseRejectedResult).reason.errMsg)).toContain('TransactionConflict');
    expect(runs).toBe(2);
    expect(await balance('a')).toBe(90);
  });

  it('runTransaction retries a conflict reported at commit', async () => {
    let runs = 0;
    await db.runTransaction(async (tx: any) => {
      runs += 1;
      const doc = await tx.collection('accounts').doc('a').get();
      await tx
        .collection('accounts')
        .doc('a')
        .update({ data: { balance: doc.data.balance - 10 } });
      // Someone outside writes the same document before this transaction commits (first run only).
      if (runs === 1)
        await db
          .collection('accounts')
          .doc('a')
          .update({ data: { balance: _.inc(1000) } });
    });
    expect(runs).toBe(2);
    expect(await balance('a')).toBe(1090);
  });

  it('aborts a transaction after 30 s on the emulator clock and frees its documents', async () => {
    const tx = await db.startTransaction();
    await tx
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 1 } });
    cloud.emulator.ctx.clock.advance(31_000);
    const error = await tx.commit().catch((e: any) => e);
    expect(error).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL', message: NOT_EXIST });
    expect(await balance('a')).toBe(100);
    const next = await db.startTransaction();
    await next
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 5 } });
    await next.commit();
    expect(await balance('a')).toBe(5);
  });

  it('keeps a transaction alive within 30 s', async () => {
    const tx = await db.startTransaction();
    await tx
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 3 } });
    // The emulator clock also runs in real time: leave the test ample real seconds to commit.
    cloud.emulator.ctx.clock.advance(20_000);
    await tx.commit();
    expect(await balance('a')).toBe(3);
  });

  it('enforces unique indexes on transactional writes', async () => {
    await db.collection('members').add({ data: { _id: 'm1', unionid: 'u-1' } });
    const error = await db
      .runTransaction(async (tx: any) => {
        await tx.collection('members').add({ data: { _id: 'm2', unionid: 'u-1' } });
      })
      .catch((e: any) => e);
    expect(error.errMsg).toContain('E11000 duplicate key error collection: members index: unionid_unique');
    expect((await db.collection('members').count()).total).toBe(1);
  });
});
