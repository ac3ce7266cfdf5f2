import type { EmulatorContext } from '../context';
import { type Doc, decodeRequest, encodeResponse, normalize } from './ejson';
import type { DatabaseEngine, ModifyRequest } from './engine';
import * as errors from './errors';

/**
 * The `database.*` actions @cloudbase/database 1.4.3 sends (collection.js, query.js, document.js,
 * aggregate.js, transaction/index.js, index.js) and the response shapes it reads:
 * getDocument → data.list (EJSON strings); insertDocument → data.insertedIds; modifyDocument →
 * data.updated / data.upsert_id; removeDocument → data.deleted; calculateDocument → data.total;
 * aggregateDocuments → data.list; startTransaction → transactionId (top level).
 */
export function registerDatabaseActions(ctx: EmulatorContext, engine: DatabaseEngine): void {
  const now = () => ctx.clock.nowMs();

  /**
   * `query`, `data`, `order`, `projection` arrive as canonical EJSON strings; `$tcb_server_date` resolves on
   * the emulator clock, `{ $timestamp: <seconds> }` becomes a date.
   */
  const parse = (value: unknown, name: string): Doc => {
    if (value === undefined || value === null || value === '') return {};
    if (typeof value === 'string') {
      let parsed: unknown;
      try {
        parsed = decodeRequest(value, now);
      } catch (error) {
        throw errors.invalidParam(`${name} is not valid EJSON: ${(error as Error).message}`);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw errors.invalidParam(`${name} must be an object`);
      return parsed as Doc;
    }
    if (typeof value === 'object' && !Array.isArray(value)) return normalize(value, now) as Doc;
    throw errors.invalidParam(`${name} must be an object`);
  };

  const inTransaction = (params: Record<string, any>) => typeof params.transactionId === 'string' && params.transactionId !== '';
  const isWhere = (params: Record<string, any>) => params.queryType === 'WHERE';
  const modifyRequest = (params: Record<string, any>): ModifyRequest => ({
    query: parse(params.query, 'query'),
    data: parse(params.data, 'data'),
    multi: params.multi === true || params.multi === 'true',
    merge: !(params.merge === false || params.merge === 'false'),
    upsert: params.upsert === true || params.upsert === 'true',
  });
  const list = (docs: Doc[]) => docs.map((doc) => encodeResponse(doc));

  ctx.action('database.addCollection', (params) => {
    engine.createCollection(String(params.collectionName ?? ''));
    return {};
  });

  ctx.action('database.getDocument', (params) => {
    const query = parse(params.query, 'query');
    const projection = params.projection === undefined ? undefined : parse(params.projection, 'projection');
    const order = params.order === undefined ? undefined : (parse(params.order, 'order') as Record<string, number>);
    const offset = params.offset === undefined ? 0 : Number(params.offset);
    const limit = params.limit === undefined ? undefined : Number(params.limit);
    const options = { order, offset, limit, projection };
    if (inTransaction(params)) {
      const docs = engine.txnGet(params.transactionId, params.collectionName, query, options);
      return { data: isWhere(params) ? { list: list(docs), offset, limit: Math.min(limit || 100, 1000) } : { list: list(docs) } };
    }
    const docs = engine.find(params.collectionName, query, options);
    return { data: { list: list(docs), offset, limit: Math.min(limit || 100, 1000) } };
  });

  ctx.action('database.insertDocument', (params) => {
    const raw = Array.isArray(params.data) ? params.data : [params.data];
    const docs = raw.map((item: unknown) => parse(item, 'data'));
    if (docs.length === 0) throw errors.invalidParam('data must not be empty');
    const ids = inTransaction(params)
      ? engine.txnInsert(params.transactionId, params.collectionName, docs)
      : engine.insert(params.collectionName, docs);
    return { data: { insertedIds: ids } };
  });

  ctx.action('database.modifyDocument', (params) => {
    const request = modifyRequest(params);
    if (inTransaction(params)) {
      const result = engine.txnModify(params.transactionId, params.collectionName, request);
      return { data: { updated: result.updated, upsert_id: result.upsertId } };
    }
    const result = engine.modify(params.collectionName, request);
    return { data: { updated: result.updated, upsert_id: result.upsertId } };
  });

  // Query.updateAndReturn (@cloudbase/database; wx-server-sdk's wrappers do not expose it): the first match, returned after the update.
  ctx.action('database.modifyAndReturnDoc', (params) => {
    const request = { ...modifyRequest(params), multi: false, merge: true, upsert: false };
    const result = inTransaction(params)
      ? engine.txnModify(params.transactionId, params.collectionName, request)
      : engine.modify(params.collectionName, request);
    return { data: { updated: result.updated, doc: result.docs[0] ? encodeResponse(result.docs[0]) : null } };
  });

  ctx.action('database.removeDocument', (params) => {
    const query = parse(params.query, 'query');
    const multi = params.multi === true || params.multi === 'true';
    if (inTransaction(params)) return { data: { deleted: engine.txnRemove(params.transactionId, params.collectionName, query, multi) } };
    return { data: { deleted: engine.remove(params.collectionName, query, multi) } };
  });

  ctx.action('database.calculateDocument', (params) => {
    const query = parse(params.query, 'query');
    if (inTransaction(params)) return { data: { total: engine.txnCount(params.transactionId, params.collectionName, query) } };
    return { data: { total: engine.count(params.collectionName, query) } };
  });

  ctx.action('database.aggregateDocuments', (params) => {
    const stages = Array.isArray(params.stages) ? params.stages : [];
    const pipeline = stages.map((stage: { stageKey?: string; stageValue?: string }, index: number) => {
      if (!stage || typeof stage.stageKey !== 'string') throw errors.invalidParam(`stages[${index}] has no stageKey`);
      let value: unknown;
      try {
        value = typeof stage.stageValue === 'string' ? decodeRequest(stage.stageValue, now) : normalize(stage.stageValue, now);
      } catch (error) {
        throw errors.invalidParam(`stages[${index}].stageValue is not valid EJSON: ${(error as Error).message}`);
      }
      return { [stage.stageKey]: value };
    });
    return { data: { list: list(engine.aggregate(params.collectionName, pipeline)) } };
  });

  ctx.action('database.startTransaction', () => ({ transactionId: engine.startTransaction() }));

  ctx.action('database.commitTransaction', (params) => {
    engine.commit(params.transactionId);
    return {};
  });

  ctx.action('database.abortTransaction', (params) => {
    engine.abort(params.transactionId);
    return {};
  });
}
