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

  ctx.route(
    route('POST', '/_emu/import/:collection', async ({ req, params }): Promise<ImportAnswer> => {
      const text = (await readBody(req)).toString('utf8');
      const docs = parseCollection(engine, params.collection, text);
      engine.replaceCollections(new Map([[params.collection, docs]]));
      return { ok: true, collections: { [params.collection]: docs.length } };
    }),
  );
}

function badImport(message: string, collection?: string, line?: number): HttpError {
  return new HttpError(400, message, {
    error: { message, ...(collection === undefined ? {} : { collection }), ...(line === undefined ? {} : { line }) },
  });
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
    let doc: unknown;
    try {
      doc = normalize(typeof raw === 'string' ? EJSON.parse(raw, { relaxed: true }) : EJSON.deserialize(raw as Doc, { relaxed: true }));
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
