import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { sdkFor, useTestCloud } from './support';
import { SDK_STABLE_HEADERS, SDK_VOLATILE_FIELDS, startWireProxy, type WireProxy, type WireRecord } from './wire-proxy';

/**
 * Wire fidelity: the exact JSON bodies the pinned SDK (wx-server-sdk 4.0.2 → @cloudbase/node-sdk
 * 3.17.2 → @cloudbase/database 1.4.3) posts for each database call the project uses. A tiny proxy
 * in front of the local cloud records them; volatile fields are stripped. An SDK upgrade that
 * changes the wire fails here, before it fails against the emulator.
 */

function jsonBody(record: WireRecord): Record<string, unknown> {
  return JSON.parse(record.body.toString('utf8') || '{}');
}

/** Bodies without volatile fields; transaction ids become a placeholder. */
function wire(records: WireRecord[]) {
  return records.map((record) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(jsonBody(record))) {
      if (SDK_VOLATILE_FIELDS.has(key)) continue;
      out[key] = key === 'transactionId' ? '<transactionId>' : value;
    }
    return out;
  });
}

describe('database wire format of the pinned SDK', () => {
  const local = useTestCloud();
  let proxy: WireProxy;
  let db: any;
  let _: any;

  beforeAll(async () => {
    proxy = await startWireProxy({ target: local.emulator.url });
    db = sdkFor({ ...local.emulator, url: proxy.url } as RunningEmulator).database();
    _ = db.command;
  });
  afterAll(async () => {
    await proxy.close();
  });
  beforeEach(async () => {
    await db.createCollection('wire');
    await db.collection('wire').add({
      data: [
        { _id: 'w1', n: 1, tag: 'a' },
        { _id: 'w2', n: 2, tag: 'b' },
      ],
    });
    // Only what each test sends is compared.
    proxy.records.length = 0;
  });

  it('posts to /admin with stable headers and query keys', async () => {
    await db.collection('wire').doc('w1').get();
    expect(proxy.records).toHaveLength(1);
    const [record] = proxy.records;
    expect(record.path).toBe('/admin');
    expect(record.query).toEqual(['env', 'seqId']);
    const headers = Object.fromEntries(
      SDK_STABLE_HEADERS.filter((h) => record.headers[h] !== undefined).map((h) => [h, String(record.headers[h])]),
    );
    expect(headers).toMatchInlineSnapshot(`
      {
        "content-type": "application/json",
        "user-agent": "tcb-node-sdk/3.17.2",
        "x-sdk-version": "wx-server-sdk/4.0.2",
        "x-tcb-region": "ap-shanghai",
        "x-tcb-source": ",scf",
      }
    `);
    expect(Object.keys(jsonBody(record)).sort()).toMatchInlineSnapshot(`
      [
        "action",
        "collectionName",
        "crossAuthorizationToken",
        "envName",
        "multi",
        "query",
        "queryType",
        "tcb_sessionToken",
        "wxCloudApiToken",
        "wxCloudbaseAccesstoken",
      ]
    `);
  });

  it('get with where, orderBy, skip, limit and field', async () => {
    await db
      .collection('wire')
      .where({
        n: _.gte(1).and(_.lt(5)),
        tag: _.in(['a', 'b']),
        name: db.RegExp({ regexp: '^x', options: 'i' }),
        'deep.flag': _.exists(false),
      })
      .orderBy('n', 'desc')
      .skip(1)
      .limit(10)
      .field({ n: true, tag: true })
      .get();
    await db.collection('wire').get();
    expect(wire(proxy.records)).toMatchInlineSnapshot(`
      [
        {
          "action": "database.getDocument",
          "collectionName": "wire",
          "envName": "duet-local",
          "limit": 10,
          "offset": 1,
          "order": "{"n":{"$numberInt":"-1"}}",
          "projection": "{"n":{"$numberInt":"1"},"tag":{"$numberInt":"1"}}",
          "query": "{"tag":{"$in":["a","b"]},"name":{"$regularExpression":{"pattern":"^x","options":"i"}},"deep.flag":{"$exists":false},"$and":[{"n":{"$gte":{"$numberInt":"1"}}},{"n":{"$lt":{"$numberInt":"5"}}}]}",
          "queryType": "WHERE",
        },
        {
          "action": "database.getDocument",
          "collectionName": "wire",
          "envName": "duet-local",
          "limit": 100,
          "queryType": "WHERE",
        },
      ]
    `);
  });

  it('add (one, with a date and serverDate) and doc.get', async () => {
    await db
      .collection('wire')
      .add({ data: { _id: 'w3', at: new Date('2024-01-02T03:04:05.006Z'), made: db.serverDate(), f: 1.5, big: 2 ** 40 } });
    await db.collection('wire').doc('w3').get();
    expect(wire(proxy.records)).toMatchInlineSnapshot(`
      [
        {
          "action": "database.insertDocument",
          "collectionName": "wire",
          "data": [
            "{"_id":"w3","at":{"$date":{"$numberLong":"1704164645006"}},"made":{"$tcb_server_date":{"offset":{"$numberInt":"0"}}},"f":{"$numberDouble":"1.5"},"big":{"$numberLong":"1099511627776"}}",
          ],
          "envName": "duet-local",
        },
        {
          "action": "database.getDocument",
          "collectionName": "wire",
          "envName": "duet-local",
          "multi": false,
          "query": "{"_id":"w3"}",
          "queryType": "DOC",
        },
      ]
    `);
  });

  it('doc.update with _.inc, doc.set, where.update', async () => {
    await db
      .collection('wire')
      .doc('w1')
      .update({ data: { n: _.inc(1), profile: { seen: true }, list: _.push(['x']) } });
    await db
      .collection('wire')
      .doc('w9')
      .set({ data: { n: 9 } });
    await db
      .collection('wire')
      .where({ tag: 'a' })
      .update({ data: { touched: true, gone: _.remove() } });
    expect(wire(proxy.records)).toMatchInlineSnapshot(`
      [
        {
          "action": "database.modifyDocument",
          "collectionName": "wire",
          "data": "{"$inc":{"n":{"$numberInt":"1"}},"$push":{"list":{"$each":["x"]}},"$set":{"profile.seen":true}}",
          "envName": "duet-local",
          "merge": true,
          "multi": false,
          "query": "{"_id":"w1"}",
          "queryType": "DOC",
          "upsert": false,
        },
        {
          "action": "database.modifyDocument",
          "collectionName": "wire",
          "data": "{"n":{"$numberInt":"9"}}",
          "envName": "duet-local",
          "merge": false,
          "multi": false,
          "query": "{"_id":"w9"}",
          "queryType": "DOC",
          "upsert": true,
        },
        {
          "action": "database.modifyDocument",
          "collectionName": "wire",
          "data": "{"$set":{"touched":true},"$unset":{"gone":""}}",
          "envName": "duet-local",
          "merge": true,
          "multi": true,
          "query": "{"tag":"a"}",
          "queryType": "WHERE",
          "upsert": false,
        },
      ]
    `);
  });

  it('doc.remove, where.remove, count', async () => {
    await db.collection('wire').doc('w9').remove();
    await db.collection('wire').where({ tag: 'zzz' }).remove();
    await db.collection('wire').where({ tag: 'a' }).count();
    expect(wire(proxy.records)).toMatchInlineSnapshot(`
      [
        {
          "action": "database.removeDocument",
          "collectionName": "wire",
          "envName": "duet-local",
          "multi": false,
          "query": "{"_id":"w9"}",
          "queryType": "DOC",
        },
        {
          "action": "database.removeDocument",
          "collectionName": "wire",
          "envName": "duet-local",
          "multi": true,
          "query": "{"tag":"zzz"}",
          "queryType": "WHERE",
        },
        {
          "action": "database.calculateDocument",
          "collectionName": "wire",
          "envName": "duet-local",
          "query": "{"tag":"a"}",
          "queryType": "WHERE",
        },
      ]
    `);
  });

  it('aggregate', async () => {
    const $ = db.command.aggregate;
    await db
      .collection('wire')
      .aggregate()
      .match({ n: _.gt(0) })
      .group({ _id: '$tag', total: $.sum('$n') })
      .sort({ total: -1 })
      .limit(5)
      .end();
    expect(wire(proxy.records)).toMatchInlineSnapshot(`
      [
        {
          "action": "database.aggregateDocuments",
          "collectionName": "wire",
          "envName": "duet-local",
          "stages": [
            {
              "stageKey": "$match",
              "stageValue": "{"n":{"$gt":{"$numberInt":"0"}}}",
            },
            {
              "stageKey": "$group",
              "stageValue": "{"_id":"$tag","total":{"$sum":"$n"}}",
            },
            {
              "stageKey": "$sort",
              "stageValue": "{"total":{"$numberInt":"-1"}}",
            },
            {
              "stageKey": "$limit",
              "stageValue": "5",
            },
          ],
        },
      ]
    `);
  });

  it('runTransaction', async () => {
    await db.runTransaction(async (tx: any) => {
      await tx.collection('wire').doc('w2').get();
      await tx
        .collection('wire')
        .doc('w2')
        .update({ data: { n: _.inc(1) } });
      await tx
        .collection('wire')
        .doc('w4')
        .set({ data: { n: 4 } });
      await tx.collection('wire').add({ data: { _id: 'w5' } });
      await tx.collection('wire').doc('w5').remove();
    });
    expect(wire(proxy.records)).toMatchInlineSnapshot(`
      [
        {
          "action": "database.startTransaction",
          "envName": "duet-local",
        },
        {
          "action": "database.getDocument",
          "collectionName": "wire",
          "envName": "duet-local",
          "multi": false,
          "query": "{"_id":"w2"}",
          "queryType": "DOC",
          "transactionId": "<transactionId>",
        },
        {
          "action": "database.modifyDocument",
          "collectionName": "wire",
          "data": "{"$inc":{"n":{"$numberInt":"1"}}}",
          "envName": "duet-local",
          "merge": true,
          "multi": false,
          "query": "{"_id":"w2"}",
          "queryType": "DOC",
          "transactionId": "<transactionId>",
          "upsert": false,
        },
        {
          "action": "database.modifyDocument",
          "collectionName": "wire",
          "data": "{"n":{"$numberInt":"4"}}",
          "envName": "duet-local",
          "merge": false,
          "multi": false,
          "query": "{"_id":"w4"}",
          "queryType": "DOC",
          "transactionId": "<transactionId>",
          "upsert": true,
        },
        {
          "action": "database.insertDocument",
          "collectionName": "wire",
          "data": [
            "{"_id":"w5"}",
          ],
          "envName": "duet-local",
          "transactionId": "<transactionId>",
        },
        {
          "action": "database.removeDocument",
          "collectionName": "wire",
          "envName": "duet-local",
          "multi": false,
          "query": "{"_id":"w5"}",
          "queryType": "DOC",
          "transactionId": "<transactionId>",
        },
        {
          "action": "database.commitTransaction",
          "envName": "duet-local",
          "transactionId": "<transactionId>",
        },
      ]
    `);
  });

  it('inside a transaction: which where() calls carry the transaction id', async () => {
    const tx = await db.startTransaction();
    proxy.records.length = 0;
    await tx
      .collection('wire')
      .where({ n: _.gt(0) })
      .get();
    await tx
      .collection('wire')
      .where({ n: _.gt(0) })
      .count();
    await tx
      .collection('wire')
      .where({ tag: 'a' })
      .update({ data: { n: _.inc(1) } });
    await tx.collection('wire').where({ tag: 'x' }).remove();
    await tx._transaction
      .collection('wire')
      .where({ tag: 'b' })
      .updateAndReturn({ n: _.inc(1) });
    const rawColl = tx._transaction.collection('wire').options({ raw: true });
    await rawColl.where({ n: { $eq: 2 } }).get();
    await rawColl.doc('w2').update({ $set: { n: 5 } });
    await tx.rollback();
    // get() and updateAndReturn() send it; count(), update() and remove() of where() do not (they run outside).
    expect(wire(proxy.records).map((body) => [body.action, body.queryType, body.transactionId ?? null])).toMatchInlineSnapshot(`
      [
        [
          "database.getDocument",
          "WHERE",
          "<transactionId>",
        ],
        [
          "database.calculateDocument",
          "WHERE",
          null,
        ],
        [
          "database.modifyDocument",
          "WHERE",
          null,
        ],
        [
          "database.removeDocument",
          "WHERE",
          null,
        ],
        [
          "database.modifyAndReturnDoc",
          "WHERE",
          "<transactionId>",
        ],
        [
          "database.getDocument",
          "WHERE",
          "<transactionId>",
        ],
        [
          "database.modifyDocument",
          "DOC",
          "<transactionId>",
        ],
        [
          "database.abortTransaction",
          undefined,
          "<transactionId>",
        ],
      ]
    `);
    expect(
      wire(proxy.records)
        .filter((body) => body.action !== 'database.abortTransaction')
        .map((body) => [body.query, body.data ?? null]),
    ).toMatchInlineSnapshot(`
      [
        [
          "{"n":{"$gt":{"$numberInt":"0"}}}",
          null,
        ],
        [
          "{"n":{"$gt":{"$numberInt":"0"}}}",
          null,
        ],
        [
          "{"tag":"a"}",
          "{"$inc":{"n":{"$numberInt":"1"}}}",
        ],
        [
          "{"tag":"x"}",
          null,
        ],
        [
          "{"tag":"b"}",
          "{"$inc":{"n":{"$numberInt":"1"}}}",
        ],
        [
          "{"n":{"$eq":{"$numberInt":"2"}}}",
          null,
        ],
        [
          "{"_id":"w2"}",
          "{"$set":{"n":{"$numberInt":"5"}}}",
        ],
      ]
    `);
  });

  it('a timestamp literal and db.ObjectId', async () => {
    await db
      .collection('wire')
      .add({ data: { _id: 'w9', at: { $timestamp: 1700000000 }, ref: db._db.ObjectId({ id: '5f0c8f1e2a3b4c5d6e7f8091' }) } });
    await db
      .collection('wire')
      .where({ ref: db._db.ObjectId({ id: '5f0c8f1e2a3b4c5d6e7f8091' }) })
      .update({ data: { at: { $timestamp: 1700000001 } } });
    expect(wire(proxy.records).map((body) => [body.action, body.query ?? null, body.data])).toMatchInlineSnapshot(`
      [
        [
          "database.insertDocument",
          null,
          [
            "{"_id":"w9","at":{"$timestamp":{"$numberInt":"1700000000"}},"ref":{"$oid":"5f0c8f1e2a3b4c5d6e7f8091"}}",
          ],
        ],
        [
          "database.modifyDocument",
          "{"ref":{"$oid":"5f0c8f1e2a3b4c5d6e7f8091"}}",
          "{"$set":{"at":{"$timestamp":{"$numberInt":"1700000001"}}}}",
        ],
      ]
    `);
  });

  it('createCollection', async () => {
    await db.createCollection('wire_two');
    expect(wire(proxy.records)).toMatchInlineSnapshot(`
      [
        {
          "action": "database.addCollection",
          "collectionName": "wire_two",
          "envName": "duet-local",
        },
      ]
    `);
  });
});
