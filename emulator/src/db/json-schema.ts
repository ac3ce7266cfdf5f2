/**
 * MongoDB's `$jsonSchema` (what `_.jsonSchema(...)` sends), as mingo's `jsonSchemaValidator`. MongoDB runs
 * its own dialect rather than a JSON Schema draft: draft 4's keywords plus `bsonType`, without `$ref`,
 * `$schema`, `default`, `definitions`, `format`, `id` and the `integer` type, and with BSON types (a date
 * is a `date`, not an `object`; `number` is any of int, long, double, decimal). No JSON Schema library
 * knows BSON types, so the dialect is implemented here, keyword by keyword as MongoDB documents it.
 * A schema is checked when compiled: an unknown or unsupported keyword fails the query, as in MongoDB.
 */
import { isEqual, MingoError } from 'mingo/util';

type Check = (value: unknown) => boolean;

function fail(message: string): never {
  throw new MingoError(message);
}

const UNSUPPORTED = new Set(['$ref', '$schema', 'default', 'definitions', 'format', 'id']);

const BSON_TYPES = new Set([
  'double',
  'string',
  'object',
  'array',
  'binData',
  'undefined',
  'objectId',
  'bool',
  'date',
  'null',
  'regex',
  'dbPointer',
  'javascript',
  'symbol',
  'javascriptWithScope',
  'int',
  'timestamp',
  'long',
  'decimal',
  'minKey',
  'maxKey',
  'number',
]);
const JSON_TYPES = new Set(['object', 'array', 'number', 'boolean', 'string', 'null']);

const BSON_CLASSES: Record<string, string> = {
  ObjectId: 'objectId',
  ObjectID: 'objectId',
  Decimal128: 'decimal',
  Long: 'long',
  Double: 'double',
  Int32: 'int',
  Binary: 'binData',
  Timestamp: 'timestamp',
  MinKey: 'minKey',
  MaxKey: 'maxKey',
  Code: 'javascript',
  BSONSymbol: 'symbol',
  Symbol: 'symbol',
  BSONRegExp: 'regex',
  DBRef: 'dbPointer',
};

/**
 * The BSON type of a stored value as the local cloud holds it: numbers come back from storage as JS
 * numbers, integral ones as int (long beyond 32 bits) and the others as double — as they round-trip.
 */
export function bsonType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'long';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'double';
    return value >= -2147483648 && value <= 2147483647 ? 'int' : 'long';
  }
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    const tag = (value as { _bsontype?: string })._bsontype;
    if (tag) return BSON_CLASSES[tag] ?? tag;
    return 'object';
  }
  return 'javascript';
}

const isNumeric = (type: string) => type === 'int' || type === 'long' || type === 'double' || type === 'decimal';
const asNumber = (value: unknown): number => (typeof value === 'number' ? value : Number(String(value)));

function matchesBsonType(type: string, actual: string): boolean {
  return type === 'number' ? isNumeric(actual) : type === actual;
}

function matchesJsonType(type: string, actual: string): boolean {
  switch (type) {
    case 'number':
      return isNumeric(actual);
    case 'boolean':
      return actual === 'bool';
    default:
      return type === actual;
  }
}

function typeList(keyword: string, value: unknown, known: Set<string>): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) fail(`$jsonSchema keyword '${keyword}' must name at least one type`);
  for (const type of list) {
    if (typeof type !== 'string') fail(`$jsonSchema keyword '${keyword}' must be a string or an array of strings`);
    if (keyword === 'type' && type === 'integer') {
      fail("$jsonSchema type 'integer' is not currently supported. Use bsonType 'int' or 'long' instead.");
    }
    if (!known.has(type)) fail(`Unknown type name alias: ${type}`);
  }
  return list as string[];
}

function nonNegativeInteger(keyword: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    fail(`$jsonSchema keyword '${keyword}' must be a non-negative integer`);
  return value;
}

function schemaObject(keyword: string, value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail(`$jsonSchema keyword '${keyword}' must be an object`);
  return value as Record<string, unknown>;
}

function schemaArray(keyword: string, value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value) || value.length === 0) fail(`$jsonSchema keyword '${keyword}' must be a nonempty array`);
  return value.map((item) => schemaObject(keyword, item));
}

const isDocument = (value: unknown): value is Record<string, unknown> => bsonType(value) === 'object';
const codePoints = (text: string) => [...text].length;

function compile(schema: Record<string, unknown>): Check {
  const checks: Check[] = [];
  const has = (keyword: string) => Object.hasOwn(schema, keyword);
  for (const keyword of Object.keys(schema)) {
    if (UNSUPPORTED.has(keyword)) fail(`$jsonSchema keyword '${keyword}' is not currently supported`);
  }
  for (const [keyword, value] of Object.entries(schema)) {
    switch (keyword) {
      case 'title':
      case 'description':
        if (typeof value !== 'string') fail(`$jsonSchema keyword '${keyword}' must be a string`);
        break;
      case 'bsonType': {
        const types = typeList(keyword, value, BSON_TYPES);
        checks.push((v) => types.some((type) => matchesBsonType(type, bsonType(v))));
        break;
      }
      case 'type': {
        const types = typeList(keyword, value, JSON_TYPES);
        checks.push((v) => types.some((type) => matchesJsonType(type, bsonType(v))));
        break;
      }
      case 'enum': {
        if (!Array.isArray(value) || value.length === 0) fail("$jsonSchema keyword 'enum' must be a nonempty array");
        checks.push((v) => value.some((item) => isEqual(item, v)));
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'multipleOf': {
        if (typeof value !== 'number') fail(`$jsonSchema keyword '${keyword}' must be a number`);
        if (keyword === 'multipleOf' && value <= 0) fail("$jsonSchema keyword 'multipleOf' must have a positive value");
        const exclusive = keyword === 'minimum' ? schema.exclusiveMinimum === true : schema.exclusiveMaximum === true;
        checks.push((v) => {
          if (!isNumeric(bsonType(v))) return true;
          const n = asNumber(v);
          if (keyword === 'multipleOf') return Number.isInteger(n / value) || Math.abs(n / value - Math.round(n / value)) < 1e-12;
          if (keyword === 'minimum') return exclusive ? n > value : n >= value;
          return exclusive ? n < value : n <= value;
        });
        break;
      }
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        if (typeof value !== 'boolean') fail(`$jsonSchema keyword '${keyword}' must be a boolean`);
        const partner = keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum';
        if (!has(partner)) fail(`$jsonSchema keyword '${partner}' must be a present if ${keyword} is present`);
        break;
      }
      case 'minLength':
      case 'maxLength': {
        const limit = nonNegativeInteger(keyword, value);
        checks.push((v) => typeof v !== 'string' || (keyword === 'minLength' ? codePoints(v) >= limit : codePoints(v) <= limit));
        break;
      }
      case 'pattern': {
        if (typeof value !== 'string') fail("$jsonSchema keyword 'pattern' must be a string");
        const re = new RegExp(value);
        checks.push((v) => typeof v !== 'string' || re.test(v));
        break;
      }
      case 'minItems':
      case 'maxItems': {
        const limit = nonNegativeInteger(keyword, value);
        checks.push((v) => !Array.isArray(v) || (keyword === 'minItems' ? v.length >= limit : v.length <= limit));
        break;
      }
      case 'uniqueItems': {
        if (typeof value !== 'boolean') fail("$jsonSchema keyword 'uniqueItems' must be a boolean");
        if (value) checks.push((v) => !Array.isArray(v) || v.every((item, i) => v.findIndex((other) => isEqual(other, item)) === i));
        break;
      }
      case 'items': {
        if (Array.isArray(value)) {
          const tuple = schemaArray(keyword, value).map(compile);
          const rest = schema.additionalItems;
          const additional: Check =
            rest === undefined || rest === true
              ? () => true
              : rest === false
                ? () => false
                : compile(schemaObject('additionalItems', rest));
          checks.push((v) => !Array.isArray(v) || v.every((item, i) => (i < tuple.length ? tuple[i](item) : additional(item))));
        } else {
          const each = compile(schemaObject(keyword, value));
          checks.push((v) => !Array.isArray(v) || v.every(each));
        }
        break;
      }
      case 'additionalItems':
        if (typeof value !== 'boolean') schemaObject(keyword, value);
        break;
      case 'minProperties':
      case 'maxProperties': {
        const limit = nonNegativeInteger(keyword, value);
        checks.push(
          (v) => !isDocument(v) || (keyword === 'minProperties' ? Object.keys(v).length >= limit : Object.keys(v).length <= limit),
        );
        break;
      }
      case 'required': {
        if (!Array.isArray(value) || value.length === 0 || value.some((name) => typeof name !== 'string')) {
          fail("$jsonSchema keyword 'required' must be a nonempty array of strings");
        }
        if (new Set(value).size !== value.length) fail("$jsonSchema keyword 'required' array must not contain duplicate values");
        checks.push((v) => !isDocument(v) || value.every((name) => v[name] !== undefined));
        break;
      }
      case 'properties':
      case 'patternProperties':
      case 'additionalProperties':
        break;
      case 'dependencies': {
        const dependencies = Object.entries(schemaObject(keyword, value)).map(([name, dependency]) => {
          if (Array.isArray(dependency)) {
            if (dependency.some((item) => typeof item !== 'string'))
              fail(`property '${name}' in 'dependencies' must be an array of strings`);
            return (doc: Record<string, unknown>) => doc[name] === undefined || dependency.every((other) => doc[other] !== undefined);
          }
          const check = compile(schemaObject(`dependencies.${name}`, dependency));
          return (doc: Record<string, unknown>) => doc[name] === undefined || check(doc);
        });
        checks.push((v) => !isDocument(v) || dependencies.every((check) => check(v)));
        break;
      }
      case 'allOf': {
        const all = schemaArray(keyword, value).map(compile);
        checks.push((v) => all.every((check) => check(v)));
        break;
      }
      case 'anyOf': {
        const any = schemaArray(keyword, value).map(compile);
        checks.push((v) => any.some((check) => check(v)));
        break;
      }
      case 'oneOf': {
        const one = schemaArray(keyword, value).map(compile);
        checks.push((v) => one.filter((check) => check(v)).length === 1);
        break;
      }
      case 'not': {
        const negated = compile(schemaObject(keyword, value));
        checks.push((v) => !negated(v));
        break;
      }
      default:
        fail(`Unknown $jsonSchema keyword: ${keyword}`);
    }
  }
  if (has('properties') || has('patternProperties') || has('additionalProperties')) {
    checks.push(propertiesCheck(schema));
  }
  return (value) => checks.every((check) => check(value));
}

/** `properties`, `patternProperties` and `additionalProperties`, which decide together which fields are "additional". */
function propertiesCheck(schema: Record<string, unknown>): Check {
  const properties = Object.entries(schema.properties === undefined ? {} : schemaObject('properties', schema.properties)).map(
    ([name, sub]) => [name, compile(schemaObject(`properties.${name}`, sub))] as const,
  );
  const named = new Map(properties);
  const patterns = Object.entries(
    schema.patternProperties === undefined ? {} : schemaObject('patternProperties', schema.patternProperties),
  ).map(([pattern, sub]) => [new RegExp(pattern), compile(schemaObject(`patternProperties.${pattern}`, sub))] as const);
  const extra = schema.additionalProperties;
  const additional: Check | undefined =
    extra === undefined || extra === true
      ? undefined
      : extra === false
        ? () => false
        : compile(schemaObject('additionalProperties', extra));
  return (value) => {
    if (!isDocument(value)) return true;
    for (const [name, field] of Object.entries(value)) {
      if (field === undefined) continue;
      const own = named.get(name);
      let known = false;
      if (own) {
        known = true;
        if (!own(field)) return false;
      }
      for (const [re, check] of patterns) {
        if (!re.test(name)) continue;
        known = true;
        if (!check(field)) return false;
      }
      if (!known && additional && !additional(field)) return false;
    }
    return true;
  };
}

/** mingo's `jsonSchemaValidator`: the schema is compiled (and refused when invalid) once per query. */
export function compileJsonSchema(schema: Record<string, unknown>): (doc: Record<string, unknown>) => boolean {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) fail('$jsonSchema must be an object');
  const check = compile(schema);
  return (doc) => check(doc);
}
