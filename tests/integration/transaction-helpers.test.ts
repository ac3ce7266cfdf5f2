import { describe, expect, it } from 'vitest';
import { useCloud } from '../support/cloud';

/** server/transaction.ts against the local cloud, in the test process through the real SDK. */
describe('transaction helpers', () => {
  const cloud = useCloud();

  async function server() {
    cloud.db();
    const [transaction, db] = await Promise.all([import('../../server/transaction'), import('../../server/cloud')]);
    return { txFind: transaction.txFind, database: db.database };
  }

  it('txFind answers null for a missing document, and fails (never null) in a transaction that is over', async () => {
    const { txFind, database } = await server();
    await cloud
      .db()
      .collection('settings')
      .add({ data: { _id: 'present', value: 1 } });
    const tx = await database().startTransaction();
    expect(await txFind(tx, 'settings', 'absent')).toBeNull();
    expect(await txFind(tx, 'settings', 'present')).toMatchObject({ value: 1 });
    await tx.commit();
    // Production: [ResourceUnavailable.TransactionNotExist] Transaction does not exist on the server ...
    await expect(txFind(tx, 'settings', 'present')).rejects.toThrow(/TransactionNotExist/);
    await expect(txFind(tx, 'settings', 'absent')).rejects.toThrow(/TransactionNotExist/);
  });
});
