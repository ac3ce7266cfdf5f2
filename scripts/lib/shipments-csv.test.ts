import { describe, expect, it } from 'vitest';
import { readShipmentsCsv } from './shipments-csv';

const ORDER_A = 'a'.repeat(32);
const ORDER_B = 'b'.repeat(32);
const ORDER_C = 'c'.repeat(32);

describe('readShipmentsCsv', () => {
  it('reads rows with their line numbers: BOM, CRLF, quotes, Chinese carriers, columns in any order', () => {
    const text = `\uFEFFtrackingNo,orderId,carrier\r\nSF1234567890,${ORDER_A},顺丰速运\r\n"YT-99887766",${ORDER_B}," 圆通, 速递 "\r\n`;
    expect(readShipmentsCsv(text)).toEqual({
      rows: [
        { line: 2, orderId: ORDER_A, carrier: '顺丰速运', trackingNo: 'SF1234567890' },
        { line: 3, orderId: ORDER_B, carrier: '圆通, 速递', trackingNo: 'YT-99887766' },
      ],
      problems: [],
    });
  });

  it('reports a bad row with its line and keeps the others', () => {
    const text = [
      'orderId,carrier,trackingNo',
      `${ORDER_A},顺丰速运,SF1234567890`,
      `${ORDER_B},顺丰速运,SF 1234`,
      `${ORDER_C},,ZT12345678`,
      `${ORDER_A},顺丰速运,SF1234567890`,
      `${ORDER_C},中通`,
      '',
    ].join('\n');
    const { rows, problems } = readShipmentsCsv(text);
    expect(rows.map((row) => row.line)).toEqual([2]);
    expect(problems.map((problem) => problem.line)).toEqual([3, 4, 5, 6]);
    expect(problems[0].reason).toContain('trackingNo');
    expect(problems[1].reason).toContain('carrier');
    expect(problems[2].reason).toBe(`order ${ORDER_A} is already on line 2`);
    expect(problems[3].reason).toBe('2 fields but the header has 3');
  });

  it('refuses a file without the right header or without rows', () => {
    expect(readShipmentsCsv('').problems).toEqual([
      { line: 1, reason: 'the CSV is empty: it needs the header orderId,carrier,trackingNo' },
    ]);
    expect(readShipmentsCsv(`order,carrier,trackingNo\n${ORDER_A},顺丰,SF12345678\n`)).toEqual({
      rows: [],
      problems: [{ line: 1, reason: 'header: missing orderId; unknown order; the columns are orderId,carrier,trackingNo' }],
    });
    expect(readShipmentsCsv('orderId,carrier,trackingNo\n').problems).toEqual([{ line: 1, reason: 'no rows after the header' }]);
  });
});
