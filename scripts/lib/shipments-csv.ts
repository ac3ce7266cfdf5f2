import { parseCsv } from '../../core/admin/article-codes';
import { ShipmentInput } from '../../core/contracts/order-admin';

/** The columns of a shipping CSV (a header line names them, in any order). */
export const SHIPMENT_COLUMNS = ['orderId', 'carrier', 'trackingNo'] as const;

export interface ShipmentRow {
  /** The CSV line the row starts on (the header is line 1). */
  line: number;
  orderId: string;
  carrier: string;
  trackingNo: string;
}

export interface ShipmentProblem {
  line: number;
  reason: string;
}

/**
 * Reads a shipping CSV (UTF-8, with or without the BOM spreadsheets write; LF or CRLF; RFC 4180
 * quotes): every row checked against the `shipOrder` contract. A bad row is a problem with its line
 * number and does not stop the others; an order listed twice is a problem on its later line. A
 * header the reader cannot use makes every row a problem (nothing is shipped).
 */
export function readShipmentsCsv(text: string): { rows: ShipmentRow[]; problems: ShipmentProblem[] } {
  const parsed = parseCsv(text);
  const problems: ShipmentProblem[] = parsed.error ? [parsed.error] : [];
  const [header, ...body] = parsed.records;
  if (!header)
    return {
      rows: [],
      problems: [...problems, { line: 1, reason: `the CSV is empty: it needs the header ${SHIPMENT_COLUMNS.join(',')}` }],
    };
  const columns = header.fields.map((field) => field.trim());
  const missing = SHIPMENT_COLUMNS.filter((column) => !columns.includes(column));
  const unknown = columns.filter((column) => !(SHIPMENT_COLUMNS as readonly string[]).includes(column));
  if (missing.length > 0 || unknown.length > 0) {
    const what = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', unknown.length > 0 ? `unknown ${unknown.join(', ')}` : '']
      .filter(Boolean)
      .join('; ');
    return {
      rows: [],
      problems: [...problems, { line: header.line, reason: `header: ${what}; the columns are ${SHIPMENT_COLUMNS.join(',')}` }],
    };
  }
  const rows: ShipmentRow[] = [];
  const firstLine = new Map<string, number>();
  for (const record of body) {
    if (record.fields.length !== columns.length) {
      problems.push({ line: record.line, reason: `${record.fields.length} fields but the header has ${columns.length}` });
      continue;
    }
    const value = Object.fromEntries(columns.map((column, i) => [column, record.fields[i].trim()]));
    const checked = ShipmentInput.safeParse(value);
    if (!checked.success) {
      const reasons = checked.error.issues.map((issue) => `${issue.path.join('.') || '(row)'}: ${issue.message}`);
      problems.push({ line: record.line, reason: reasons.join('; ') });
      continue;
    }
    const earlier = firstLine.get(checked.data.orderId);
    if (earlier !== undefined) {
      problems.push({ line: record.line, reason: `order ${checked.data.orderId} is already on line ${earlier}` });
      continue;
    }
    firstLine.set(checked.data.orderId, record.line);
    rows.push({ line: record.line, ...checked.data });
  }
  if (rows.length + problems.length === 0) problems.push({ line: header.line, reason: 'no rows after the header' });
  return { rows, problems };
}
