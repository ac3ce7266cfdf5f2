import { h } from './dom';

/**
 * Relaxed EJSON as the UI shows it: a value of a BSON type keeps its type (a Date chip, an ObjectId chip)
 * instead of being flattened into a string or an object of `$` keys.
 */

const WRAPPERS: Record<string, string> = {
  $date: 'Date',
  $oid: 'ObjectId',
  $numberLong: 'Long',
  $numberInt: 'Int32',
  $numberDouble: 'Double',
  $numberDecimal: 'Decimal128',
  $binary: 'Binary',
  $uuid: 'UUID',
  $regularExpression: 'RegExp',
  $timestamp: 'Timestamp',
  $minKey: 'MinKey',
  $maxKey: 'MaxKey',
  $symbol: 'Symbol',
  $code: 'Code',
};

/** The BSON type and its text, when `value` is one EJSON wrapper. */
export function wrapped(value: unknown): { type: string; text: string } | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0 || !(keys[0] in WRAPPERS)) return undefined;
  if (keys.length > 1 && !(keys[0] === '$code' || keys[0] === '$binary')) return undefined;
  const inner = (value as Record<string, unknown>)[keys[0]];
  const type = WRAPPERS[keys[0]];
  if (keys[0] === '$date') {
    if (typeof inner === 'string') return { type, text: inner };
    const ms = Number((inner as { $numberLong?: string })?.$numberLong);
    return { type, text: Number.isFinite(ms) ? new Date(ms).toISOString() : JSON.stringify(inner) };
  }
  if (keys[0] === '$regularExpression') {
    const re = inner as { pattern?: string; options?: string };
    return { type, text: `/${re?.pattern ?? ''}/${re?.options ?? ''}` };
  }
  return { type, text: typeof inner === 'string' ? inner : JSON.stringify(inner) };
}

/** One value in a table cell: short, typed. */
export function cell(value: unknown): Node {
  if (value === undefined) return h('span', { class: 'v-missing' }, '');
  if (value === null) return h('span', { class: 'v-null' }, 'null');
  const typed = wrapped(value);
  if (typed) return chip(typed.type, typed.text);
  if (Array.isArray(value)) return h('span', { class: 'v-more' }, `[${value.length}]`);
  if (typeof value === 'object') return h('span', { class: 'v-more' }, `{${Object.keys(value).length}}`);
  if (typeof value === 'string')
    return h('span', { class: 'v-string', title: value }, value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return h('span', { class: `v-${typeof value}` }, String(value));
}

function chip(type: string, text: string): HTMLElement {
  return h('span', { class: `v-typed t-${type}`, title: `${type} ${text}` }, h('b', {}, type), ' ', text);
}

/** The whole document as a tree, every value typed. */
export function tree(value: unknown, depth = 0): Node {
  const typed = wrapped(value);
  if (typed) return chip(typed.type, typed.text);
  if (value === null) return h('span', { class: 'v-null' }, 'null');
  if (Array.isArray(value)) {
    if (value.length === 0) return h('span', { class: 'v-more' }, '[]');
    return h(
      'details',
      { open: depth < 2 },
      h('summary', { class: 'v-more' }, `Array(${value.length})`),
      h(
        'ul',
        { class: 'tree' },
        value.map((item, i) => h('li', {}, h('span', { class: 'k' }, String(i)), tree(item, depth + 1))),
      ),
    );
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return h('span', { class: 'v-more' }, '{}');
    const list = h(
      'ul',
      { class: 'tree' },
      entries.map(([key, item]) => h('li', {}, h('span', { class: 'k' }, key), tree(item, depth + 1))),
    );
    if (depth === 0) return list;
    return h('details', { open: depth < 2 }, h('summary', { class: 'v-more' }, `Object{${entries.length}}`), list);
  }
  if (typeof value === 'string') return h('span', { class: 'v-string' }, JSON.stringify(value));
  return h('span', { class: `v-${typeof value}` }, String(value));
}
