// Text into HTML: every string that comes from a scenario or results (VM ids, host names, reasons) goes
// through escapeHtml, in element content and in attribute values alike.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A table: header cells and rows of cells, all escaped; `numeric` columns are right-aligned. */
export function htmlTable(header: readonly string[], rows: readonly (readonly string[])[], numeric: ReadonlySet<number> = new Set()): string {
  const cell = (tag: 'th' | 'td', text: string, column: number): string =>
    `<${tag}${numeric.has(column) ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
  const head = `<tr>${header.map((h, c) => cell('th', h, c)).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((text, c) => cell('td', text, c)).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}
