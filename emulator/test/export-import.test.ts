import { beforeAll, describe, expect, it } from 'vitest';
import { sdkFor, useTestCloud } from './support';

describe('database export and import', () => {
  const cloud = useTestCloud();
  let db: any;

  beforeAll(() => {
    db = sdkFor(cloud.emulator).database();
  });

  const seed = async () => {
    await db.createCollection('notes');
    await db.collection('notes').add({
      data: [
        { _id: 'n1', text: '你好', n: 1, f: 1.5, at: new Date('2024-06-01T08:00:00.000Z'), tags: ['x'], deep: { a: { b: null } } },
        { _id: 'n2', text: 'second' },
      ],
    });
    await db.collection('members').add({ data: { _id: 'm1', unionid: 'u-1', joinedAt: new Date('2023-01-01T00:00:00.000Z') } });
  };

  it('exports every collection as JSON lines in the console format', async () => {
    await seed();
    const body = await cloud.client.db.export();
    expect(body.format).toBe('duet-cloud-export');
    expect(Object.keys(body.collections)).toEqual(expect.arrayContaining(['notes', 'members', 'events']));
    expect(body.collections.events).toBe('');
    const lines = body.collections.notes.split('\n').map((line: string) => JSON.parse(line));
    expect(lines[0]).toEqual({
      _id: 'n1',
      text: '你好',
      n: 1,
      f: 1.5,
      at: { $date: '2024-06-01T08:00:00.000Z' },
      tags: ['x'],
      deep: { a: { b: null } },
    });
    const file = await fetch(`${cloud.emulator.url}/_emu/export/members`);
    expect(file.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(await file.text()).toBe('{"_id":"m1","unionid":"u-1","joinedAt":{"$date":"2023-01-01T00:00:00.000Z"}}\n');
  });

  it('round-trips an export through reset and import', async () => {
    await seed();
    const exported = await cloud.client.db.export();
    const before = (await db.collection('notes').get()).data;
    await cloud.client.reset();
    expect((await db.collection('members').count()).total).toBe(0);
    const imported = await cloud.client.request('POST', '/_emu/import', exported);
    expect(imported.collections.notes).toBe(2);
    expect((await db.collection('notes').get()).data).toEqual(before);
    expect((await db.collection('notes').doc('n1').get()).data.at).toBeInstanceOf(Date);
    expect((await cloud.client.db.export()).collections).toEqual(exported.collections);
  });

  it('imports a console file for one collection', async () => {
    const text = '{"_id":"k1","reply":"hi","at":{"$date":"2022-02-02T00:00:00.000Z"}}\n\n{"reply":"no id"}\n';
    expect(await cloud.client.db.importCollection('keyword_replies', text)).toEqual({ ok: true, collections: { keyword_replies: 2 } });
    const { data } = await db.collection('keyword_replies').get();
    expect(data).toHaveLength(2);
    expect(data[0].at.toISOString()).toBe('2022-02-02T00:00:00.000Z');
    expect(data[1]._id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses a bad line with its number and changes nothing', async () => {
    await seed();
    const snapshot = (await cloud.client.db.export()).collections;
    const bad = await cloud.client.control('POST', '/_emu/import', {
      collections: {
        members: '{"_id":"m9","unionid":"u-9"}',
        notes: '{"_id":"ok"}\n{"_id":"ok2"}\n{not json}\n',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      collection: 'notes',
      line: 3,
      message: expect.stringContaining('notes line 3: not a JSON document'),
    });
    expect((await cloud.client.db.export()).collections).toEqual(snapshot);
  });

  it('refuses duplicate ids and unique index violations with the line number', async () => {
    await seed();
    const snapshot = (await cloud.client.db.export()).collections;
    const dupId = await cloud.client.control('POST', '/_emu/import', { collections: { notes: '{"_id":"a"}\n{"_id":"b"}\n{"_id":"a"}' } });
    expect(dupId.status).toBe(400);
    expect(dupId.body.error.line).toBe(3);
    expect(dupId.body.error.message).toContain('E11000 duplicate key error collection: notes index: _id_');
    const dupUnion = await cloud.client.control('POST', '/_emu/import', {
      collections: { members: '{"_id":"a","unionid":"u"}\n{"_id":"b"}\n{"_id":"c"}\n{"_id":"d","unionid":"u"}' },
    });
    expect(dupUnion.status).toBe(400);
    expect(dupUnion.body.error.line).toBe(4);
    expect(dupUnion.body.error.message).toContain('index: unionid_unique');
    expect((await db.collection('members').doc('m1').get()).data.unionid).toBe('u-1');
    expect((await cloud.client.db.export()).collections).toEqual(snapshot);
  });

  it.each([
    ['an operator key', '{"_id":"x","$where":"sleep(1)"}', '$where'],
    ['a nested operator key', '{"_id":"x","profile":{"$set":{"admin":true}}}', 'profile.$set'],
    ['an EJSON key beside other keys', '{"_id":"x","at":{"$date":"2022-02-02T00:00:00.000Z","admin":true}}', 'at.$date'],
    ['a dotted key', '{"_id":"x","a":{"b.c":1}}', 'a["b.c"]'],
    ['__proto__ deep in an array', '{"_id":"x","list":[{"ok":1},{"__proto__":{"admin":true}}]}', 'list[1].__proto__'],
    ['constructor', '{"_id":"x","constructor":{"prototype":{"admin":true}}}', 'constructor'],
    ['prototype', '{"_id":"x","o":{"prototype":1}}', 'o.prototype'],
    ['an invalid $date', '{"_id":"x","at":{"$date":"not a date"}}', 'at'],
    ['a $date out of range', '{"_id":"x","at":{"$date":1e30}}', 'at'],
  ])('refuses a document with %s, naming the line and the key, and writes nothing', async (_what, line, keyPath) => {
    await seed();
    const snapshot = (await cloud.client.db.export()).collections;
    const bad = await cloud.client.control('POST', '/_emu/import', {
      collections: { members: '{"_id":"m9","unionid":"u-9"}', notes: `{"_id":"ok"}\n${line}\n` },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ collection: 'notes', line: 2, path: keyPath });
    expect(bad.body.error.message).toContain('notes line 2');
    expect(bad.body.error.message).toContain(keyPath);
    const one = await cloud.client.control('POST', '/_emu/import', { collections: { notes: [{ _id: 'ok' }, JSON.parse(line)] } });
    expect(one.status).toBe(400);
    expect(one.body.error).toMatchObject({ collection: 'notes', line: 2, path: keyPath });
    await expect(cloud.client.db.importCollection('notes', `${line}\n`)).rejects.toMatchObject({ status: 400 });
    expect((await cloud.client.db.export()).collections).toEqual(snapshot);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('takes the EJSON forms of values it exports', async () => {
    const line = JSON.stringify({
      _id: 'e',
      at: { $date: '2022-02-02T00:00:00.000Z' },
      ms: { $date: { $numberLong: '1643760000000' } },
      ref: { $oid: '5f0c8f1e2a3b4c5d6e7f8091' },
      tags: [{ at: { $date: '2023-01-01T00:00:00.000Z' } }],
    });
    expect(await cloud.client.db.importCollection('notes', line)).toEqual({ ok: true, collections: { notes: 1 } });
    const { data } = await db.collection('notes').doc('e').get();
    expect(data.at.toISOString()).toBe('2022-02-02T00:00:00.000Z');
    expect(data.ms.toISOString()).toBe('2022-02-02T00:00:00.000Z');
    expect(data.tags[0].at.toISOString()).toBe('2023-01-01T00:00:00.000Z');
  });

  it('refuses a body without collections', async () => {
    const response = await cloud.client.control('POST', '/_emu/import', { notes: [] });
    expect(response).toEqual({
      status: 400,
      body: { error: { message: 'body must be { "collections": { "<name>": "<JSON lines>" } }' } },
    });
    expect((await cloud.client.db.info()).collections.filter((c) => c.count > 0)).toEqual([]);
  });
});
