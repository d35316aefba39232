// The CSV writer against RFC 4180 as a real parser (csv-parse) reads it: hand-picked awkward fields, then
// any strings at all (fast-check).
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, formatCsv, type CsvColumn } from '../../src/report/csv.js';

describe('csvField', () => {
  it('quotes a field only when it holds a comma, a quote, CR or LF, doubling its quotes', () => {
    expect(csvField('h0-0-0')).toBe('h0-0-0');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(' spaced ')).toBe(' spaced ');
  });

  it('writes numbers in their shortest exact form and absent values as empty fields', () => {
    expect(csvField(1.25e9)).toBe('1250000000');
    expect(csvField(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(csvField(1.2e-5)).toBe('0.000012');
    expect(csvField(1e-7)).toBe('1e-7');
    expect(Number(csvField(1e-7))).toBe(1e-7);
    expect(csvField(undefined)).toBe('');
    expect(csvField(0)).toBe('0');
  });
});

describe('formatCsv', () => {
  interface Row {
    name: string;
    value: number;
  }
  const columns: CsvColumn<Row>[] = [
    { name: 'name', value: (r) => r.name },
    { name: 'value', value: (r) => r.value },
  ];

  it('writes a header line, one line per row, and a final newline', () => {
    expect(formatCsv(columns, [{ name: 'a', value: 1 }])).toBe('name,value\na,1\n');
    expect(formatCsv(columns, [])).toBe('name,value\n');
  });

  it('reads back exactly through an RFC 4180 parser, whatever the strings', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ name: fc.string({ unit: 'binary' }), value: fc.double({ noNaN: true, noDefaultInfinity: true }) })), (rows) => {
        const parsed = parse(formatCsv(columns, rows), { columns: true, relax_column_count: false }) as Record<string, string>[];
        // -0 prints as 0, like JSON.stringify
        const expected = rows.map((r) => ({ ...r, value: r.value === 0 ? 0 : r.value }));
        expect(parsed.map((r) => ({ name: r.name, value: Number(r.value) }))).toEqual(expected);
      }),
    );
  });
});
