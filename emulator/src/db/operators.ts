/**
 * mingo as the local cloud runs it: every operator mingo ships, with the ones where mingo departs from
 * MongoDB (what production runs) registered over them through mingo's own `Context`, plus a
 * `$jsonSchema` validator. `find`, `aggregate` and `update` here are the only way the engine calls mingo.
 *
 * mingo's default entry points merge a caller's context *under* their own operators (an operator already
 * registered wins), so overrides only take effect with the base classes (`mingo/query`,
 * `mingo/aggregator`, `mingo/updater`) and a context built here.
 */
import { Aggregator } from 'mingo/aggregator';
import { Context, evalExpr } from 'mingo/core';
import { Lazy } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { AnyObject, Options } from 'mingo/types';
import { update as mingoUpdate } from 'mingo/updater';
import { compare, isDate, isNil, isObject, isOperator, MingoError, resolve } from 'mingo/util';
import { dateOperators } from './dates';
import { compileJsonSchema } from './json-schema';

type ExprOp = (obj: any, expr: any, options: any) => any;
type QueryOp = (selector: string, value: any, options: any) => (obj: any) => boolean;

function fail(message: string): never {
  throw new MingoError(message);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  if (isDate(value)) return 'date';
  if (typeof value === 'object') return (value as any)._bsontype ?? 'object';
  return typeof value;
}

// ------------------------------------------------------------------ query: $elemMatch, $all

/**
 * One array element against `$elemMatch`'s criteria. Criteria made only of operators (`{ $gt: 0 }`)
 * test the element itself; criteria on fields (`{ value: { $gt: 0 } }`) test only elements that are
 * documents (MongoDB skips scalars; mingo resolves any path of a scalar to the scalar itself, so
 * `{ value: { $exists: true } }` matched `[1, 2]`).
 */
function elementTest(criteria: AnyObject, options: Options): (value: unknown) => boolean {
  if (!isObject(criteria)) fail('$elemMatch needs an Object');
  const keys = Object.keys(criteria);
  if (keys.length === 0) return (value) => isObject(value);
  const onValue = keys.every((key) => isOperator(key) && key !== '$and' && key !== '$or' && key !== '$nor');
  if (onValue) {
    const query = new Query({ value: criteria }, options);
    return (value) => query.test({ value });
  }
  const query = new Query(criteria, options);
  return (value) => (isObject(value) || Array.isArray(value)) && query.test(value as AnyObject);
}

const $elemMatch: QueryOp = (selector, criteria, options) => {
  const test = elementTest(criteria, options);
  return (obj) => {
    const values = resolve(obj, selector, { unwrapArray: true });
    return Array.isArray(values) && values.some(test);
  };
};

/** `{ a: { $all: [x, y] } }` is `{ $and: [{ a: x }, { a: y }] }` (MongoDB), `$elemMatch` items included. */
const $all: QueryOp = (selector, values, options) => {
  if (!Array.isArray(values)) fail('$all needs an array');
  if (values.length === 0) return () => false;
  const query = new Query({ $and: values.map((value) => ({ [selector]: value })) }, options);
  return (obj) => query.test(obj);
};

/**
 * Internal, for `$pull` with a condition on fields (see `update`): the element must be a document
 * that matches, as MongoDB's `$pull` does; scalars never match such a condition.
 */
const PULL_DOCUMENT = '$__pullDocument';
const pullDocument: QueryOp = (selector, criteria, options) => {
  const query = new Query(criteria, options);
  return (obj) => {
    const value = resolve(obj, selector);
    return isObject(value) && query.test(value as AnyObject);
  };
};

// ------------------------------------------------------------------ strings

/** MongoDB's string coercion for `$substr*`: null → "", numbers and dates to text. */
function coerceToString(value: unknown, op: string): string {
  if (isNil(value)) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (isDate(value)) return value.toISOString();
  return fail(`${op}: can't convert from BSON type ${typeName(value)} to String`);
}

function args(obj: any, expr: any, options: any, op: string, min: number, max: number): any[] {
  const list = Array.isArray(expr) ? expr : [expr];
  if (list.length < min || list.length > max) {
    fail(`Expression ${op} takes ${min === max ? 'exactly' : 'at least'} ${min} arguments. ${list.length} were passed in.`);
  }
  return evalExpr(obj, list, options) as any[];
}

const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80;

/** `$substrBytes` (and its old name `$substr`): a negative length means the rest of the string. */
function substrBytes(op: string): ExprOp {
  return (obj, expr, options) => {
    const [input, start, length] = args(obj, expr, options, op, 3, 3);
    const bytes = Buffer.from(coerceToString(input, op), 'utf8');
    if (typeof start !== 'number') fail(`${op}: starting index must be a numeric type (is BSON type ${typeName(start)})`);
    if (typeof length !== 'number') fail(`${op}: length must be a numeric type (is BSON type ${typeName(length)})`);
    const lower = Math.trunc(start);
    if (lower < 0) fail(`${op}: starting index must be non-negative (got: ${lower})`);
    if (lower >= bytes.length) return '';
    const count = Math.trunc(length) < 0 ? bytes.length - lower : Math.trunc(length);
    if (isContinuation(bytes[lower])) fail(`${op}:  Invalid range, starting index is a UTF-8 continuation byte.`);
    if (lower + count < bytes.length && isContinuation(bytes[lower + count])) {
      fail(`${op}:  Invalid range, ending index is in the middle of a UTF-8 character.`);
    }
    return bytes.subarray(lower, lower + count).toString('utf8');
  };
}

const $substrCP: ExprOp = (obj, expr, options) => {
  const [input, start, length] = args(obj, expr, options, '$substrCP', 3, 3);
  const text = coerceToString(input, '$substrCP');
  if (typeof start !== 'number') fail(`$substrCP: starting index must be a numeric type (is BSON type ${typeName(start)})`);
  if (!Number.isInteger(start)) fail(`$substrCP: starting index cannot be represented as a 32-bit integral value: ${start}`);
  if (typeof length !== 'number') fail(`$substrCP: length must be a numeric type (is BSON type ${typeName(length)})`);
  if (!Number.isInteger(length)) fail(`$substrCP: length cannot be represented as a 32-bit integral value: ${length}`);
  if (length < 0) fail('$substrCP: length must be a nonnegative integer.');
  if (start < 0) fail('$substrCP: the starting index must be nonnegative integer.');
  return [...text].slice(start, start + length).join('');
};

function indexBounds(op: string, rest: unknown[], length: number): { start: number; end: number } {
  const [start = 0, end = length] = rest;
  for (const [name, value] of [
    ['starting', start],
    ['ending', end],
  ] as const) {
    if (typeof value !== 'number' || !Number.isInteger(value))
      fail(`${op} requires an integral ${name} index, found a value of type: ${typeName(value)}`);
    if (value < 0) fail(`${op} requires a nonnegative ${name} index, found: ${value}`);
  }
  return { start: start as number, end: Math.min(end as number, length) };
}

function stringArgs(op: string, input: unknown, token: unknown): input is string {
  if (isNil(input)) return false;
  if (typeof input !== 'string') fail(`${op} requires a string as the first argument, found: ${typeName(input)}`);
  if (typeof token !== 'string') fail(`${op} requires a string as the second argument, found: ${typeName(token)}`);
  return true;
}

/** `$indexOfCP`: code points, not UTF-16 units. */
const $indexOfCP: ExprOp = (obj, expr, options) => {
  const [input, token, ...rest] = args(obj, expr, options, '$indexOfCP', 2, 4);
  if (!stringArgs('$indexOfCP', input, token)) return null;
  const points = [...input];
  const { start, end } = indexBounds('$indexOfCP', rest, points.length);
  if (start > end) return -1;
  const needle = [...token];
  for (let index = start; index < end; index++) {
    if (needle.every((point, offset) => points[index + offset] === point)) return index;
  }
  return -1;
};

/** `$indexOfBytes`: UTF-8 byte offsets (mingo counts UTF-16 units). */
const $indexOfBytes: ExprOp = (obj, expr, options) => {
  const [input, token, ...rest] = args(obj, expr, options, '$indexOfBytes', 2, 4);
  if (!stringArgs('$indexOfBytes', input, token)) return null;
  const bytes = Buffer.from(input, 'utf8');
  const { start, end } = indexBounds('$indexOfBytes', rest, bytes.length);
  if (start > bytes.length || start > end) return -1;
  const needle = Buffer.from(token, 'utf8');
  if (needle.length === 0) return start;
  return bytes.subarray(0, end).indexOf(needle, start);
};

/** `$toUpper` / `$toLower`: ASCII letters only (MongoDB's rule; `é` stays `é`), null → "". */
function asciiCase(op: string, upper: boolean): ExprOp {
  return (obj, expr, options) => {
    const [input] = args(obj, expr, options, op, 1, 1);
    const text = coerceToString(input, op);
    return text.replace(upper ? /[a-z]+/g : /[A-Z]+/g, (run) => (upper ? run.toUpperCase() : run.toLowerCase()));
  };
}

// ------------------------------------------------------------------ accumulators as expressions

/**
 * `$sum`, `$avg`, `$max`, `$min`, `$stdDevPop`, `$stdDevSamp` in `$project` & co. (MongoDB): one operand
 * that is an array is taken element by element, one that is not is a list of one; a list of operands is
 * taken as it is (arrays in it are not entered). mingo refuses a single non-array operand. In `$group`
 * and `$bucket` the operand is evaluated over the group (an array of documents): mingo's accumulator.
 */
function accumulatorExpression(name: string, reduce: (values: unknown[]) => unknown): ExprOp {
  const accumulator = (accumulatorOperators as unknown as Record<string, ExprOp>)[name];
  return (obj, expr, options) => {
    if (Array.isArray(obj)) {
      // mingo answers NaN where MongoDB answers null (`$stdDevSamp` of one value)
      const result = accumulator(obj, expr, options);
      return Number.isNaN(result) ? null : result;
    }
    if (Array.isArray(expr)) {
      if (expr.length === 1) {
        const single = evalExpr(obj, expr[0], options);
        return reduce(Array.isArray(single) ? single : [single]);
      }
      return reduce(evalExpr(obj, expr, options) as unknown[]);
    }
    const value = evalExpr(obj, expr, options);
    return reduce(Array.isArray(value) ? value : [value]);
  };
}

const numbers = (values: unknown[]) => values.filter((value): value is number => typeof value === 'number');
const present = (values: unknown[]) => values.filter((value) => !isNil(value));

function stdDev(values: unknown[], sample: boolean): number | null {
  const xs = numbers(values);
  if (xs.length === 0 || (sample && xs.length < 2)) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const squares = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
  return Math.sqrt(squares / (xs.length - (sample ? 1 : 0)));
}

const accumulatorExpressions: Record<string, ExprOp> = {
  $sum: accumulatorExpression('$sum', (values) => numbers(values).reduce((a, b) => a + b, 0)),
  $avg: accumulatorExpression('$avg', (values) => {
    const xs = numbers(values);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  }),
  $max: accumulatorExpression('$max', (values) => {
    const xs = present(values);
    return xs.length ? xs.reduce((a, b) => (compare(a, b) >= 0 ? a : b)) : null;
  }),
  $min: accumulatorExpression('$min', (values) => {
    const xs = present(values);
    return xs.length ? xs.reduce((a, b) => (compare(a, b) <= 0 ? a : b)) : null;
  }),
  $stdDevPop: accumulatorExpression('$stdDevPop', (values) => stdDev(values, false)),
  $stdDevSamp: accumulatorExpression('$stdDevSamp', (values) => stdDev(values, true)),
};

/** `$trunc`: `<number>` or `[<number>, <place>]` (mingo takes only the array). */
const $trunc: ExprOp = (obj, expr, options) => {
  const [value, place = 0] = args(obj, expr, options, '$trunc', 1, 2);
  if (isNil(value) || isNil(place)) return null;
  if (typeof value !== 'number') fail(`$trunc only supports numeric types, not ${typeName(value)}`);
  if (typeof place !== 'number' || !Number.isInteger(place) || place < -20 || place > 100) {
    fail(`$trunc requires "place" to be an integer between -20 and 100, found ${String(place)}`);
  }
  if (!Number.isFinite(value)) return value;
  const scale = 10 ** Math.abs(place);
  return place >= 0 ? Math.trunc(value * scale) / scale : Math.trunc(value / scale) * scale;
};

// ------------------------------------------------------------------ pipeline: $bucket

/**
 * `$bucket` as MongoDB runs it: a value equal to a boundary opens that boundary's bucket (mingo put it
 * in the one before), and only buckets holding documents are output (mingo also output empty ones),
 * in boundary order with the default bucket last.
 */
const $bucket = (collection: any, expr: any, options: any) => {
  if (!isObject(expr)) fail('$bucket only supports an object as its argument');
  const spec = expr as AnyObject;
  const bounds = spec.boundaries;
  if (!Array.isArray(bounds) || bounds.length < 2) fail("$bucket requires 'boundaries' to be an array of at least 2 values");
  bounds.forEach((bound, i) => {
    if (i > 0 && typeName(bound) !== typeName(bounds[i - 1]) && !(typeof bound === 'number' && typeof bounds[i - 1] === 'number')) {
      fail("All values in the 'boundaries' option to $bucket must have the same type");
    }
    if (i > 0 && compare(bound, bounds[i - 1]) <= 0) fail("The 'boundaries' option to $bucket must be sorted in ascending order");
  });
  const hasDefault = spec.default !== undefined;
  const output = spec.output ?? { count: { $sum: 1 } };
  return collection.transform((items: AnyObject[]) => {
    const groups = new Map<number, AnyObject[]>();
    for (const item of items) {
      const key = evalExpr(item, spec.groupBy, options);
      let index = -1;
      if (!isNil(key) && compare(key, bounds[0]) >= 0 && compare(key, bounds[bounds.length - 1]) < 0) {
        index = bounds.findIndex((bound, i) => i < bounds.length - 1 && compare(key, bound) >= 0 && compare(key, bounds[i + 1]) < 0);
      }
      if (index < 0 && !hasDefault) fail('$bucket could not find a matching branch for an input, and no default was specified.');
      const group = groups.get(index) ?? [];
      group.push(item);
      groups.set(index, group);
    }
    const order = [...groups.keys()].sort((a, b) => (a < 0 ? 1 : b < 0 ? -1 : a - b));
    return Lazy(order).map((index: number) => ({
      _id: index < 0 ? spec.default : bounds[index],
      ...(evalExpr(groups.get(index), output, options) as AnyObject),
    }));
  });
};

// ------------------------------------------------------------------ the context

/** mingo's operators, with the local cloud's registered over them (first registration wins). */
export const context = Context.init({
  accumulator: { ...(accumulatorOperators as any) },
  expression: {
    ...(expressionOperators as any),
    ...dateOperators,
    ...accumulatorExpressions,
    $substr: substrBytes('$substr'),
    $substrBytes: substrBytes('$substrBytes'),
    $substrCP,
    $indexOfCP,
    $indexOfBytes,
    $trunc,
    $toUpper: asciiCase('$toUpper', true),
    $toLower: asciiCase('$toLower', false),
  },
  pipeline: { ...(pipelineOperators as any), $bucket },
  projection: { ...(projectionOperators as any) },
  query: { ...(queryOperators as any), $elemMatch, $all, [PULL_DOCUMENT]: pullDocument },
  window: { ...(windowOperators as any) },
});

function options(extra: Partial<Options> = {}): Partial<Options> {
  return { context, jsonSchemaValidator: compileJsonSchema, ...extra };
}

export function find(docs: AnyObject[], query: AnyObject, projection?: AnyObject) {
  return new Query(query, options()).find(docs, projection as any);
}

/** The query compiled once (unknown operators fail here, as `find` fails), then a test per document. */
export function matcher(query: AnyObject): (doc: AnyObject) => boolean {
  const compiled = new Query(query, options());
  return (doc) => compiled.test(doc);
}

export function aggregate(docs: AnyObject[], pipeline: AnyObject[], extra: Partial<Options> = {}): AnyObject[] {
  return new Aggregator(pipeline, options(extra)).run(docs);
}

/** `$pull: { field: { a: ... } }` (a condition on the elements' fields) → the internal document match. */
function pullConditions(modifier: AnyObject): AnyObject {
  const pull = modifier.$pull;
  if (!isObject(pull)) return modifier;
  const rewritten: AnyObject = {};
  for (const [field, condition] of Object.entries(pull as AnyObject)) {
    const onFields = isObject(condition) && Object.keys(condition).length > 0 && !Object.keys(condition).some(isOperator);
    rewritten[field] = onFields ? { [PULL_DOCUMENT]: condition } : condition;
  }
  return { ...modifier, $pull: rewritten };
}

/** Applies an update document to `obj` in place; returns the changed fields. */
export function update(obj: AnyObject, modifier: AnyObject): string[] {
  return mingoUpdate(obj, pullConditions(modifier) as any, undefined, undefined, { queryOptions: options() });
}
