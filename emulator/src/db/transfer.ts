import { EJSON } from 'bson';
import type { DbAnswer, ExportAnswer, ImportAnswer } from '../client';
import type { EmulatorContext } from '../context';
import { HttpError, readBody, readJson, route, sendBuffer } from '../http';
import { type Doc, encodeConsole, normalize } from './ejson';
import { type DatabaseEngine, newId } from './engine';

/**
 * Export and import in the WeChat console's format: one JSON document per line, dates as
 * `{"$date": "<ISO>"}`. An import is validated completely before anything changes, then applied
 * in one sqlite transaction: a bad line refuses the whole import with its line number.
 */
export function registerTransferRoutes(ctx: EmulatorContext, engine: DatabaseEngine): void {
  const exportCollection = (name: string) =>
    engine
      .docs(name)
      .map((doc) => encodeConsole(doc))
      .join('\n');

  ctx.route(
    route(
      'GET',
      '/_emu/db',
      (): DbAnswer => ({
        collections: engine.collections().map((name) => ({
          name,
          count: engine.count(name, {}),
          indexes: engine.indexes(name),
        })),
        transactions: engine.activeTransactions(),
      }),
    ),
  );

  ctx.route(
    route(
      'GET',
      '/_emu/export',
      (): ExportAnswer => ({
        format: 'duet-cloud-export',
        version: 1,
        exportedAt: ctx.clock.now().toISOString(),
        collections: Object.fromEntries(engine.collections().map((name) => [name, exportCollection(name)])),
      }),
    ),
  );

  ctx.route(
    route('GET', '/_emu/export/:collection', ({ res, params }) => {
      if (!engine.hasCollection(params.collection))
        throw new HttpError(404, 'no such collection', { error: { message: `no collection ${params.collection}` } });
      const body = exportCollection(params.collection);
      sendBuffer(res, 200, body ? `${body}\n` : '', 'application/x-ndjson; charset=utf-8');
      return undefined;
    }),
  );

  ctx.route(
    route('POST', '/_emu/import', async ({ req }): Promise<ImportAnswer> => {
      const body = await readJson<{ collections?: Record<string, unknown> }>(req);
      if (
        !body ||
        typeof body !== 'object' ||
        !body.collections ||
        typeof body.collections !== 'object' ||
        Array.isArray(body.collections)
      ) {
        throw badImport('body must be { "collections": { "<name>": "<JSON lines>" } }');
      }
      const parsed = new Map<string, Doc[]>();
      for (const [name, value] of Object.entries(body.collections)) parsed.set(name, parseCollection(engine, name, value));
      engine.replaceCollections(parsed);
      return { ok: true, collections: Object.fromEntries([...parsed].map(([name, docs]) => [name, docs.length])) };
    }),
  );

  ctx.route({
    ...route('POST', '/_emu/import/:collection', async ({ req, params }): Promise<ImportAnswer> => {
      const text = (await readBody(req)).toString('utf8');
      const docs = parseCollection(engine, params.collection, text);
      engine.replaceCollections(new Map([[params.collection, docs]]));
      return { ok: true, collections: { [params.collection]: docs.length } };
    }),
    // The console's file as it is; never text/plain, which a page could post cross-origin.
    accepts: ['application/x-ndjson', 'application/json'],
  });
}

function badImport(message: string, collection?: string, line?: number, keyPath?: string): HttpError {
  return new HttpError(400, message, {
    error: {
      message,
      ...(collection === undefined ? {} : { collection }),
      ...(line === undefined ? {} : { line }),
      ...(keyPath === undefined ? {} : { path: keyPath }),
    },
  });
}

/**
 * EJSON's type wrappers, by their exact key sets: in value position they are a value (a date, an
 * ObjectId, ...), not keys of the document. What `encodeConsole` can write, and nothing more.
 */
const EJSON_WRAPPERS = new Set(
  [
    ['$date'],
    ['$oid'],
    ['$numberInt'],
    ['$numberLong'],
    ['$numberDouble'],
    ['$numberDecimal'],
    ['$binary'],
    ['$binary', '$type'],
    ['$uuid'],
    ['$regularExpression'],
    ['$regex'],
    ['$options', '$regex'],
    ['$timestamp'],
    ['$minKey'],
    ['$maxKey'],
  ].map((keys) => keys.join(',')),
);

/** Keys that would reach an object's prototype, not its data, wherever JS code copies documents around. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `a.b[0]["x.y"]`: a key path that stays readable when a key has a dot in it. */
function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/**
 * The first key of a raw (JSON-parsed, not yet EJSON-decoded) document the database must not get:
 * an operator (`$`-prefixed) key, a dotted key (a path, not a field), a prototype key, or an EJSON
 * date that is no date. Checked before EJSON decoding, which silently drops keys beside `$date`
 * and would let a later copy turn an own `__proto__` into a prototype.
 */
export function badKey(value: unknown, at = ''): { path: string; reason: string } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = badKey(value[i], joinPath(at, i));
      if (found) return found;
    }
    return undefined;
  }
  const keys = Object.keys(value);
  if (at && EJSON_WRAPPERS.has([...keys].sort().join(','))) {
    if (keys[0] === '$date' && !validDate((value as { $date: unknown }).$date)) {
      return { path: at, reason: `${JSON.stringify((value as { $date: unknown }).$date)} is not a valid $date` };
    }
    return undefined;
  }
  for (const key of keys) {
    const keyPath = joinPath(at, key);
    if (key.startsWith('$')) return { path: keyPath, reason: 'a key may not start with $ (operators are not data)' };
    if (key.includes('.')) return { path: keyPath, reason: 'a key may not contain a dot (it would read as a path)' };
    if (PROTOTYPE_KEYS.has(key)) return { path: keyPath, reason: `${key} is not allowed as a key` };
    const found = badKey((value as Record<string, unknown>)[key], keyPath);
    if (found) return found;
  }
  return undefined;
}

/** `$date` as EJSON takes it (ISO text, epoch ms, `{ $numberLong }`), within what `Date` can hold. */
function validDate(raw: unknown): boolean {
  let ms: number;
  if (typeof raw === 'string') ms = Date.parse(raw);
  else if (typeof raw === 'number') ms = raw;
  else if (raw && typeof raw === 'object' && typeof (raw as { $numberLong?: unknown }).$numberLong === 'string') {
    ms = Number((raw as { $numberLong: string }).$numberLong);
  } else return false;
  return Number.isFinite(ms) && !Number.isNaN(new Date(ms).getTime());
}

/** JSON lines (a string) or an array of documents / lines. Line numbers are 1-based, counting blank lines. */
function parseCollection(engine: DatabaseEngine, name: string, value: unknown): Doc[] {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw badImport(`invalid collection name ${JSON.stringify(name)}`, name);
  let items: Array<{ raw: unknown; line: number }>;
  if (typeof value === 'string') {
    items = value.split(/\r?\n/).map((raw, i) => ({ raw, line: i + 1 }));
  } else if (Array.isArray(value)) {
    items = value.map((raw, i) => ({ raw, line: i + 1 }));
  } else {
    throw badImport(`collection ${name}: expected JSON lines (a string) or an array of documents`, name);
  }
  const docs: Array<{ doc: Doc; line: number }> = [];
  for (const { raw, line } of items) {
    if (typeof raw === 'string' && raw.trim() === '') continue;
    let plain: unknown;
    try {
      plain = typeof raw === 'string' ? JSON.parse(raw) : raw;
    } catch (error) {
      throw badImport(`collection ${name} line ${line}: not a JSON document (${(error as Error).message})`, name, line);
    }
    const bad = badKey(plain);
    if (bad) throw badImport(`collection ${name} line ${line}: key ${bad.path}: ${bad.reason}`, name, line, bad.path);
    let doc: unknown;
    try {
      doc = normalize(EJSON.deserialize(plain as Doc, { relaxed: true }));
    } catch (error) {
      throw badImport(`collection ${name} line ${line}: not a JSON document (${(error as Error).message})`, name, line);
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc) || doc instanceof Date) {
      throw badImport(`collection ${name} line ${line}: a line must be one JSON object`, name, line);
    }
    const record = doc as Doc;
    if (record._id === undefined || record._id === null) record._id = newId();
    else if (typeof record._id !== 'string' && typeof record._id !== 'number') {
      throw badImport(`collection ${name} line ${line}: _id must be a string or a number`, name, line);
    }
    docs.push({ doc: record, line });
  }
  const problem = engine.validateCollection(name, docs);
  if (problem) throw badImport(`collection ${name} line ${problem.line}: ${problem.message}`, name, problem.line);
  return docs.map((entry) => entry.doc);
}
