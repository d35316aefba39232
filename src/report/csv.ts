// A small CSV writer (RFC 4180): fields separated by commas, a field quoted when it holds a comma, a double
// quote, CR or LF, with its quotes doubled. Records end with LF rather than RFC 4180's CRLF, as line-based
// tools (awk, cut, grep) expect; every CSV reader (Python's csv, pandas, R, csv-parse) accepts both.
// Cells that would start a spreadsheet formula are neutralized (csvField).

export type CsvValue = string | number | boolean | undefined;

/** One column of a table: its header and how to read it from a row. */
export interface CsvColumn<Row> {
  name: string;
  value: (row: Row) => CsvValue;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell a spreadsheet would read as a formula (CSV injection): OWASP's list of leading characters. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  // Numbers print as JavaScript's shortest round-trip form (1.25e9 B/s stays exact); absent values are empty.
  // A text starting like a formula gets a leading apostrophe, as OWASP's "CSV Injection" page recommends, so
  // Excel and LibreOffice show it as text; numbers (a negative one starts with -) are left as they are.
  const text = value === undefined ? '' : typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',');
}

/** The header line, then one line per row; ends with a newline. */
export function formatCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [csvRecord(columns.map((c) => c.name)), ...rows.map((row) => csvRecord(columns.map((c) => c.value(row))))];
  return `${lines.join('\n')}\n`;
}
