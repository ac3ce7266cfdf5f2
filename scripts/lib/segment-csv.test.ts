import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../core/admin/article-codes';
import { SEGMENT_CSV_COLUMNS, segmentCsvHead, segmentCsvRows } from './segment-csv';

describe('segment CSV', () => {
  it('a BOM and a Chinese header, CRLF rows, yuan from fen, Shanghai times, defused formulas', () => {
    const text =
      segmentCsvHead() +
      segmentCsvRows([
        {
          memberId: 'm-1',
          nickname: '=HYPERLINK("http://x","点我")',
          joinedAt: '2026-12-02T16:30:00.000Z',
          lastActiveDay: '2026-12-03',
          orders: 3,
          paidFen: 123456,
          lastPaidAt: '2026-12-01T02:00:00.000Z',
        },
      ]) +
      segmentCsvRows([
        {
          memberId: 'm-2',
          nickname: '小明, "二号"',
          joinedAt: '2026-01-01T00:00:00.000Z',
          lastActiveDay: null,
          orders: 0,
          paidFen: 0,
          lastPaidAt: null,
        },
      ]);
    expect(text).toBe(
      [
        `\uFEFF${SEGMENT_CSV_COLUMNS.join(',')}`,
        `m-1,"'=HYPERLINK(""http://x"",""点我"")",2026-12-03 00:30:00,2026-12-03,3,1234.56,2026-12-01 10:00:00`,
        'm-2,"小明, ""二号""",2026-01-01 08:00:00,,0,0.00,',
        '',
      ].join('\r\n'),
    );
    const parsed = parseCsv(text);
    expect(parsed.error).toBeUndefined();
    expect(parsed.records.map((r) => r.fields[1])).toEqual(['昵称', `'=HYPERLINK("http://x","点我")`, '小明, "二号"']);
  });

  it('an empty page adds nothing', () => {
    expect(segmentCsvRows([])).toBe('');
  });
});
