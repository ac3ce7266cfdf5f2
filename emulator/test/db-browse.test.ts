import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowseAnswer, BrowseQuery } from '../src/client';
import { sdkFor, useTestCloud } from './support';

/**
 * The paging routes of the web UI (`GET /_emu/db/<collection>/docs`, `GET|POST /_emu/db/<collection>/doc`):
 * keyset pages that neither skip nor repeat a document, the filter subset against what the documents hold,
 * and every hostile input answered 400 with its reason before anything runs.
 */

const N = 1234;
const CITIES = ['上海', '北京', '杭州'];
const START = Date.parse('2026-01-01T00:00:00.000Z');
const OWNER = '64b7f0c2a1b2c3d4e5f60718';

interface Row {
  _id: string;
  n: number;
  total?: number | string | null;
  city: string;
  vip: boolean;
  at: { $date: string };
  owner?: { $oid: string };
  address: { zip: number };
}

/** Some documents lack `total`, some hold null or a string there: the sort and the filters meet every case. */
function rowOf(i: number): Row {
  const row: Row = {
    _id: `r${String(i).padStart(5, '0')}`,
    n: i,
    city: CITIES[i % 3],
    vip: i % 7 === 0,
    at: { $date: new Date(START + i * 3_600_000).toISOString() },
    address: { zip: 100000 + (i % 50) },
  };
  if (i % 11 === 1) row.total = null;
  else if (i % 13 === 2) row.total = `T${i % 5}`;
  else if (i % 17 !== 3) row.total = (i * 37) % 100;
  if (i % 2 === 0) row.owner = { $oid: OWNER };
  return row;
}
const ROWS = Array.from({ length: N }, (_, i) => rowOf(i));

describe('paging routes', () => {
  const local = useTestCloud();
  beforeEach(async () => {
    await local.client.db.importCollection('rows', ROWS.map((row) => JSON.stringify(row)).join('\n'));
  });

  const page = (query: BrowseQuery = {}) => local.client.db.page('rows', query);
  const raw = (search: string) => local.client.control('GET', `/_emu/db/rows/docs?${search}`);

  /** Every page of a query, following `next`, with the ids in the order they came. */
  async function all(query: BrowseQuery): Promise<{ ids: string[]; pages: BrowseAnswer[] }> {
    const pages: BrowseAnswer[] = [];
    let after: string | undefined;
    do {
      const answer = await page({ ...query, after });
      pages.push(answer);
      after = answer.next ?? undefined;
    } while (after);
    return { ids: pages.flatMap((p) => p.docs.map((row) => row.doc._id)), pages };
  }

  it('pages in insertion order by 50 by default, then by keyset to the end, each document once', async () => {
    const first = await page();
    expect(first.total).toBe(N);
    expect(first.matched).toBe(N);
    expect(first.docs).toHaveLength(50);
    expect(first.docs[0]).toEqual({
      key: '"r00000"',
      doc: { ...ROWS[0], at: { $date: '2026-01-01T00:00:00Z' } },
    });
    const { ids, pages } = await all({ limit: 200 });
    expect(ids).toEqual(ROWS.map((row) => row._id));
    expect(pages).toHaveLength(7);
    expect(pages.at(-1)?.next).toBeNull();
    // Without a filter, every page carries the total (nothing to count).
    expect(pages.every((p) => p.matched === N)).toBe(true);
  });

  it('sorts by a field on the server, both ways, with ties and missing values in a stable order', async () => {
    // sqlite's order of the unwrapped values: missing and null first, then numbers, then strings; ties by insertion.
    const rank = (row: Row) => (row.total === undefined || row.total === null ? 0 : typeof row.total === 'number' ? 1 : 2);
    const ascending = [...ROWS].sort((a, b) => {
      const byRank = rank(a) - rank(b);
      if (byRank) return byRank;
      if (rank(a) === 0) return a.n - b.n;
      const [x, y] = [a.total as number | string, b.total as number | string];
      return x < y ? -1 : x > y ? 1 : a.n - b.n;
    });
    expect((await all({ sort: 'total', limit: 97 })).ids).toEqual(ascending.map((row) => row._id));
    expect((await all({ sort: 'total', order: 'desc', limit: 200 })).ids).toEqual([...ascending].reverse().map((row) => row._id));
    // Dates sort as dates, dotted fields are followed, `_id` is the primary key.
    expect((await page({ sort: 'at', order: 'desc', limit: 3 })).docs.map((row) => row.doc._id)).toEqual(['r01233', 'r01232', 'r01231']);
    const byZip = (await all({ sort: 'address.zip', limit: 200 })).ids;
    expect(byZip.slice(0, 3)).toEqual(['r00000', 'r00050', 'r00100']);
    expect(byZip).toHaveLength(N);
    expect((await page({ sort: '_id', order: 'desc', limit: 2 })).docs.map((row) => row.doc._id)).toEqual(['r01233', 'r01232']);
    const skipped = await page({ sort: '_id', skip: 1200, limit: 50 });
    expect(skipped.docs.map((row) => row.doc._id)).toEqual(ROWS.slice(1200).map((row) => row._id));
    expect(skipped.next).toBeNull();
  });

  it('filters like the query language on fields compared to scalars', async () => {
    const ids = async (filter: Record<string, unknown>) => (await all({ filter, limit: 200 })).ids;
    const expected = (test: (row: Row) => boolean) => ROWS.filter(test).map((row) => row._id);
    expect(await ids({ city: '杭州' })).toEqual(expected((row) => row.city === '杭州'));
    expect(await ids({ total: 37 })).toEqual(expected((row) => row.total === 37));
    expect(await ids({ vip: true })).toEqual(expected((row) => row.vip));
    // null matches a null and a missing field; $ne matches missing fields too; $exists does not count null as missing.
    expect(await ids({ total: null })).toEqual(expected((row) => row.total == null));
    expect(await ids({ total: { $ne: 37 } })).toEqual(expected((row) => row.total !== 37));
    expect(await ids({ total: { $exists: false } })).toEqual(expected((row) => !('total' in row)));
    // A range meets values of its own type only (no string is above every number).
    expect(await ids({ total: { $gte: 90, $lt: 95 } })).toEqual(
      expected((row) => typeof row.total === 'number' && row.total >= 90 && row.total < 95),
    );
    expect(await ids({ total: { $gte: 'T3' } })).toEqual(expected((row) => typeof row.total === 'string' && row.total >= 'T3'));
    expect(await ids({ total: { $in: [1, 'T1', null] } })).toEqual(
      expected((row) => row.total === 1 || row.total === 'T1' || row.total == null),
    );
    expect(await ids({ city: { $nin: ['上海', '北京'] } })).toEqual(expected((row) => row.city === '杭州'));
    expect(await ids({ at: { $gte: { $date: '2026-02-01T00:00:00Z' } }, 'address.zip': { $lt: 100003 } })).toEqual(
      expected((row) => Date.parse(row.at.$date) >= Date.parse('2026-02-01T00:00:00Z') && row.address.zip < 100003),
    );
    expect(await ids({ owner: { $oid: OWNER }, vip: true })).toEqual(expected((row) => row.owner !== undefined && row.vip));
    expect(await ids({ $or: [{ n: 5 }, { n: { $gt: 1230 } }], city: { $ne: '上海' } })).toEqual(
      expected((row) => (row.n === 5 || row.n > 1230) && row.city !== '上海'),
    );
    expect(await ids({ $and: [{ n: { $gte: 10 } }, { n: { $lte: 12 } }] })).toEqual(['r00010', 'r00011', 'r00012']);
    expect(await ids({ _id: { $regex: '^r0000[1-3]$' } })).toEqual(['r00001', 'r00002', 'r00003']);
    expect(await ids({ total: { $regex: '^t[12]$', $options: 'i' } })).toEqual(expected((row) => row.total === 'T1' || row.total === 'T2'));
    expect(await ids({ _id: 'r00042' })).toEqual(['r00042']);
    // A value is bound, never spliced into the SQL.
    expect(await ids({ city: "杭州' OR '1'='1" })).toEqual([]);
    const counted = await page({ filter: { city: '杭州' } });
    expect(counted.matched).toBe(expected((row) => row.city === '杭州').length);
    expect((await page({ filter: { city: '杭州' }, after: counted.next ?? undefined })).matched).toBeNull();
  });

  it('refuses hostile input with a 400 that says why, before anything runs', async () => {
    const refusals: Array<[string, string | RegExp]> = [
      ['limit=0', '"limit" must be an integer from 1 to 200, not "0"'],
      ['limit=201', '"limit" must be an integer from 1 to 200, not "201"'],
      ['limit=-1', '"limit" must be an integer from 1 to 200, not "-1"'],
      ['limit=1e3', '"limit" must be an integer from 1 to 200, not "1e3"'],
      ['limit=99999999999999999999', /^"limit" must be an integer from 1 to 200/],
      ['skip=10001', '"skip" must be an integer from 0 to 10000, not "10001" (page further with "after")'],
      ['skip=9007199254740993', /^"skip" must be an integer from 0 to 10000/],
      ['order=sideways', '"order" must be asc or desc, not "sideways"'],
      ['sort=a%22b', /^"sort" "a\\"b" is not a field path/],
      ['sort=%24where', /^"sort" "\$where" is not a field path/],
      ['sort=a..b', /^"sort" "a..b" is not a field path/],
      [`sort=${encodeURIComponent("a') OR 1=1 --")}`, /is not a field path/],
      ['filter=%7Bbad', /^"filter" is not JSON: /],
      ['filter=%5B1%5D', 'filter must be a JSON object'],
      ['filter=%22x%22', 'filter must be a JSON object'],
      [
        `filter=${encodeURIComponent('{"$where": "sleep(1000)"}')}`,
        'filter operator $where is not supported here; top level takes fields, $and and $or',
      ],
      [`filter=${encodeURIComponent('{"$expr": {"$gt": ["$a", 1]}}')}`, /operator \$expr is not supported/],
      [
        `filter=${encodeURIComponent('{"a": {"$function": {"body": "x"}}}')}`,
        'filter a: operator $function is not supported here; use $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists, $regex, $options',
      ],
      [`filter=${encodeURIComponent('{"a": {"b": 1}}')}`, /^filter a: compare with a string, a number/],
      [`filter=${encodeURIComponent('{"a": [1, 2]}')}`, /^filter a: compare with a string, a number/],
      [`filter=${encodeURIComponent('{"a": {"$gt": null}}')}`, 'filter a.$gt takes a string, a number or a $date'],
      [`filter=${encodeURIComponent('{"a": {"$in": "x"}}')}`, 'filter a.$in takes an array of 1–100 values'],
      [
        `filter=${encodeURIComponent(JSON.stringify({ a: { $in: Array.from({ length: 101 }, (_, i) => i) } }))}`,
        'filter a.$in takes an array of 1–100 values',
      ],
      [`filter=${encodeURIComponent('{"a": {"$exists": 1}}')}`, 'filter a.$exists takes true or false'],
      [`filter=${encodeURIComponent('{"a": {"$regex": "("}}')}`, /^filter a\.\$regex: Invalid regular expression/],
      [`filter=${encodeURIComponent('{"a": {"$regex": "x", "$options": "g"}}')}`, 'filter a.$options takes flags among i, m, s, u'],
      [`filter=${encodeURIComponent('{"a": {"$options": "i"}}')}`, 'filter a: $options needs $regex'],
      [`filter=${encodeURIComponent('{"a.$b": 1}')}`, /^filter field "a.\$b" is not a field path/],
      [`filter=${encodeURIComponent('{"a": {"$date": "not a date"}}')}`, /^filter a: /],
      [`filter=${encodeURIComponent('{"$or": []}')}`, '$or takes an array of 1–20 filters'],
      [
        `filter=${encodeURIComponent(JSON.stringify({ $and: [{ $and: [{ $and: [{ $and: [{ $and: [{ a: 1 }] }] }] }] }] }))}`,
        'filter nests $and / $or deeper than 4',
      ],
      [
        `filter=${encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i]))))}`,
        'filter has more than 50 conditions',
      ],
      [`filter=${encodeURIComponent(JSON.stringify({ a: 'x'.repeat(10_001) }))}`, '"filter" is over 10000 characters'],
      ['after=garbage', '"after" is not a cursor this route handed out (take "next" of the previous page)'],
      [`after=${Buffer.from(JSON.stringify([null, false, 'x', -1])).toString('base64url')}`, /^"after" is not a cursor/],
      [
        `after=${Buffer.from(JSON.stringify(['total', false, 1, 5])).toString('base64url')}`,
        '"after" belongs to another sort: start again from the first page',
      ],
    ];
    for (const [search, message] of refusals) {
      const answer = await raw(search);
      expect(answer.status, search).toBe(400);
      if (typeof message === 'string') expect(answer.body, search).toEqual({ error: { message } });
      else expect(answer.body?.error?.message, search).toMatch(message);
    }
    expect(await local.client.control('GET', '/_emu/db/nope/docs')).toEqual({
      status: 404,
      body: { error: { message: 'no collection nope' } },
    });
    // Nothing was changed by any of it.
    expect((await page({ limit: 1 })).total).toBe(N);
  });

  it('reads one document by _id and replaces it with relaxed EJSON, types kept, through the engine', async () => {
    // The SDK's typings of doc().get() answer a union; the document is what is checked.
    const sdk: any = sdkFor(local.emulator);
    expect(await local.client.db.doc('rows', 'r00002')).toEqual({
      key: '"r00002"',
      doc: { ...ROWS[2], at: { $date: '2026-01-01T02:00:00Z' } },
    });
    const saved = await local.client.db.replace('rows', {
      _id: 'r00002',
      n: 2,
      due: { $date: '2026-05-01T00:00:00.000Z' },
      owner: { $oid: OWNER },
    });
    expect(saved).toEqual({
      key: '"r00002"',
      doc: { _id: 'r00002', n: 2, due: { $date: '2026-05-01T00:00:00Z' }, owner: { $oid: OWNER } },
    });
    const { data } = await sdk.database().collection('rows').doc('r00002').get();
    expect(data.due).toBeInstanceOf(Date);
    expect(data.city).toBeUndefined();
    expect((await page({ filter: { due: { $exists: true } } })).docs.map((row) => row.key)).toEqual(['"r00002"']);

    const post = (body: unknown, collection = 'rows') => local.client.control('POST', `/_emu/db/${collection}/doc`, body);
    expect(await post({ doc: { _id: 'missing', a: 1 } })).toEqual({
      status: 404,
      body: { error: { message: 'no document with _id "missing" in rows' } },
    });
    expect(await post({ doc: { a: 1 } })).toEqual({
      status: 400,
      body: { error: { message: '"doc._id" is required (a string, a number or {"$oid": ...}): it names the document replaced' } },
    });
    expect(await post({ doc: { _id: 'r00003', $set: { a: 1 } } })).toEqual({
      status: 400,
      body: { error: { message: 'key $set: a key may not start with $ (operators are not data)' } },
    });
    expect(await post({ doc: { _id: 'r00003', 'a.b': 1 } })).toEqual({
      status: 400,
      body: { error: { message: 'key ["a.b"]: a key may not contain a dot (it would read as a path)' } },
    });
    expect((await post([1])).status).toBe(400);
    expect(await local.client.control('GET', '/_emu/db/rows/doc')).toEqual({
      status: 400,
      body: { error: { message: '"id" is required: the _id as JSON ("abc" in quotes, 7, or {"$oid": "..."})' } },
    });
    expect((await local.client.control('GET', '/_emu/db/rows/doc?id=r00003')).status).toBe(400);
    // A form post (what a page may send cross-origin without a preflight) never reaches the route.
    const form = await fetch(`${local.emulator.url}/_emu/db/rows/doc`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ doc: { _id: 'r00003' } }),
    });
    expect(form.status).toBe(415);
    expect((await local.client.db.doc('rows', 'r00003')).doc.n).toBe(3);

    // A unique index of the schema refuses the replacement with the database's own message.
    await local.client.db.importCollection('members', '{"_id":"m1","unionid":"u1"}\n{"_id":"m2","unionid":"u2"}');
    const clash = await post({ doc: { _id: 'm2', unionid: 'u1' } }, 'members');
    expect(clash.status).toBe(409);
    expect(clash.body.error.message).toMatch(
      /^E11000 duplicate key error collection: members index: unionid_unique dup key: \{ unionid: "u1" \}/,
    );
    expect((await local.client.db.doc('members', 'm2')).doc.unionid).toBe('u2');
  });

  it("answers each page with one LIMITed statement, by an index where one serves (sqlite's own plan)", async () => {
    // identities has the fixture schema's index "member" on memberId.
    await local.client.db.importCollection(
      'identities',
      Array.from({ length: 500 }, (_, i) => JSON.stringify({ _id: `i${i}`, memberId: `m${i % 20}`, total: i % 7 })).join('\n'),
    );
    const plan = async (query: BrowseQuery) => (await local.client.db.page('identities', query)).plan;
    // Insertion order: a walk in rowid order that stops at the page's end, not a read of the collection and a sort.
    expect(await plan({})).toEqual(['SCAN docs']);
    expect(await plan({ sort: '_id', order: 'desc' })).toEqual(['SEARCH docs USING INDEX sqlite_autoindex_docs_1 (coll=?)']);
    expect(await plan({ filter: { _id: 'i5' } })).toEqual(['SEARCH docs USING INDEX sqlite_autoindex_docs_1 (coll=? AND id=?)']);
    const member = await plan({ filter: { memberId: 'm3' } });
    expect(member).toHaveLength(1);
    expect(member[0]).toMatch(/^SEARCH docs USING INDEX emu_ix_identities_member_[0-9a-f]{8} \(<expr>=\?\)$/);
    expect((await local.client.db.page('identities', { filter: { memberId: 'm3' } })).matched).toBe(25);
    // A sort by another field is sqlite's sorter over the collection (top-N for the LIMIT), never JS.
    expect(await plan({ sort: 'total' })).toEqual([
      'SEARCH docs USING INDEX sqlite_autoindex_docs_1 (coll=?)',
      'USE TEMP B-TREE FOR ORDER BY',
    ]);
  });

  it('lists the subscription templates the outbox card titles come from', async () => {
    const { templates } = await local.client.templates();
    expect(templates.find((t) => t.id === 'TPL_COUPON_EXPIRING')).toEqual({
      id: 'TPL_COUPON_EXPIRING',
      title: '优惠券到期提醒',
      keywords: { thing1: 'thing', date2: 'date', thing3: 'thing' },
    });
  });
});
