/**
 * Article-code rules for the admin jobs: generated keys, target comparison, the storage file
 * name of a code, and batch input (CSV or items) validated row by row with line numbers.
 * Pure: randomness comes in as a function, I/O stays in server/admin/.
 */
import type * as z from 'zod/mini';
import { ArticleCodeRow } from '../contracts/admin';
import type { SceneTarget } from '../entry/scene';

/** No 0/O, 1/l/I/i: keys get read aloud and typed from posters. */
export const KEY_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
export const GENERATED_KEY_LENGTH = 8;
export const MAX_BATCH_ROWS = 1000;

/** `random()` returns integers in [0, n); the server passes a crypto-backed one. */
export function generateSceneKey(random: (n: number) => number, length = GENERATED_KEY_LENGTH): string {
  let key = '';
  for (let i = 0; i < length; i += 1) key += KEY_ALPHABET[random(KEY_ALPHABET.length)];
  return key;
}

/** The comparable part of a scene: where it leads and where the reader came from. */
export function normalizeTarget(target: SceneTarget): SceneTarget {
  // Fixed key order: the result is compared as JSON.
  const result: SceneTarget = {} as SceneTarget;
  if (target.article) result.article = target.article;
  if (target.campaign) result.campaign = target.campaign;
  result.channel = target.channel;
  result.page = target.page;
  const params = target.params ?? {};
  if (Object.keys(params).length > 0) {
    result.params = Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return result;
}

/** Same article, campaign, channel, page and params (param order does not matter). */
export function sameTarget(a: SceneTarget, b: SceneTarget): boolean {
  return JSON.stringify(normalizeTarget(a)) === JSON.stringify(normalizeTarget(b));
}

/**
 * A storage-safe file name for a key: scene keys may hold `/`, `?` or `#`, which cloud paths
 * refuse or read as folders. Safe characters stay; others become `.` + two hex digits (and `.`
 * itself is escaped), so different keys never share a file.
 */
export function codeFileName(key: string): string {
  return [...key].map((ch) => (/[A-Za-z0-9_-]/.test(ch) ? ch : `.${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('');
}

/** `k=v&k2=v2` (values may be percent-encoded) → `{ k: 'v', k2: 'v2' }`; null when malformed. */
export function parseParams(text: string): Record<string, string> | null {
  const result: Record<string, string> = {};
  if (!text.trim()) return result;
  for (const pair of text.split('&')) {
    const at = pair.indexOf('=');
    if (at <= 0) return null;
    try {
      result[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return null;
    }
  }
  return result;
}

export interface CsvRecord {
  /** 1-based physical line where the record starts (the header is line 1). */
  line: number;
  fields: string[];
}

/** RFC 4180 CSV: quoted fields, `""` escapes, CRLF or LF, a UTF-8 BOM from spreadsheet exports. */
export function parseCsv(text: string): { records: CsvRecord[]; error?: { line: number; reason: string } } {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0].trim() === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < src.length; i += 1) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else {
        if (ch === '\n') line += 1;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) return { records, error: { line: recordLine, reason: 'a quoted field is not closed' } };
  if (field !== '' || fields.length > 0) endRecord();
  return { records };
}

export const CSV_COLUMNS = ['scene', 'article', 'campaign', 'channel', 'page', 'params', 'expiresAt'] as const;

export type ArticleCodeInput = z.output<typeof ArticleCodeRow>;
export interface BatchRow extends ArticleCodeInput {
  /** CSV line, or the item's position (1-based) for `items`. */
  line: number;
}
export interface RowProblem {
  line: number;
  reason: string;
}

/** Every row checked; all problems reported at once so the operator fixes the file in one go. */
export function validateBatch(input: { items?: Array<Record<string, unknown>>; csv?: string }): {
  rows: BatchRow[];
  problems: RowProblem[];
} {
  const problems: RowProblem[] = [];
  const raw: Array<{ line: number; value: Record<string, unknown> }> = [];
  if (input.csv !== undefined) {
    const parsed = parseCsv(input.csv);
    if (parsed.error) problems.push(parsed.error);
    const [header, ...body] = parsed.records;
    if (!header) return { rows: [], problems: [...problems, { line: 1, reason: 'the CSV is empty: it needs a header line' }] };
    const columns = header.fields.map((f) => f.trim());
    const unknown = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
    if (unknown.length > 0) {
      problems.push({ line: header.line, reason: `unknown column(s) ${unknown.join(', ')}; allowed: ${CSV_COLUMNS.join(', ')}` });
      return { rows: [], problems };
    }
    for (const record of body) {
      if (record.fields.length > columns.length) {
        problems.push({ line: record.line, reason: `${record.fields.length} fields but the header has ${columns.length}` });
        continue;
      }
      const value: Record<string, unknown> = {};
      let bad = false;
      columns.forEach((column, i) => {
        const cell = (record.fields[i] ?? '').trim();
        if (cell === '') return;
        if (column === 'params') {
          const params = parseParams(cell);
          if (!params) {
            problems.push({ line: record.line, reason: `params: ${JSON.stringify(cell)} is not k=v&k2=v2` });
            bad = true;
          } else value.params = params;
        } else value[column] = cell;
      });
      if (!bad) raw.push({ line: record.line, value });
    }
  } else {
    for (const [i, value] of (input.items ?? []).entries()) raw.push({ line: i + 1, value });
  }
  if (raw.length + problems.length === 0) problems.push({ line: 1, reason: 'no rows' });
  if (raw.length > MAX_BATCH_ROWS)
    problems.push({ line: raw[MAX_BATCH_ROWS].line, reason: `more than ${MAX_BATCH_ROWS} rows; split the batch` });

  const rows: BatchRow[] = [];
  const seen = new Map<string, BatchRow>();
  for (const { line, value } of raw) {
    const parsed = ArticleCodeRow.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ line, reason: `${issue.path.join('.') || '(row)'}: ${issue.message}` });
      continue;
    }
    const row: BatchRow = { ...parsed.data, line };
    if (row.scene) {
      const earlier = seen.get(row.scene);
      if (earlier) {
        problems.push({ line, reason: `scene ${row.scene} is already on line ${earlier.line}` });
        continue;
      }
      seen.set(row.scene, row);
    }
    rows.push(row);
  }
  problems.sort((a, b) => a.line - b.line);
  return { rows, problems };
}

/** What identifies a batch: the same rows give the same job, so a rerun resumes instead of starting over. */
export function batchFingerprint(rows: BatchRow[]): string {
  return JSON.stringify(rows.map((row) => [row.scene ?? null, normalizeTarget(row), row.expiresAt ?? null]));
}

export function describeProblems(problems: RowProblem[], limit = 50): string {
  const shown = problems.slice(0, limit).map((p) => `line ${p.line}: ${p.reason}`);
  if (problems.length > limit) shown.push(`... and ${problems.length - limit} more`);
  return `${problems.length} bad row(s), nothing written: ${shown.join('; ')}`;
}
