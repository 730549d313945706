// CSV for spreadsheets (RFC 4180, CRLF lines). A cell that starts with = + - @ (or a tab or
// carriage return) would be run as a formula by Excel, LibreOffice or Google Sheets, and a caller
// chooses what they say: such a cell is prefixed with a single quote, which shows it as text.

const FORMULA = /^[=+\-@\t\r]/;

/** One cell, defused and quoted when needed. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header row and the rows under it, as one CSV text. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
