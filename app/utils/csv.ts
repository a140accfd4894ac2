/**
 * CSV as spreadsheet programs read it (RFC 4180: every field quoted, quotes doubled, CRLF line ends).
 * A field that starts with = + - @, a tab or a carriage return would be taken for a formula by Excel,
 * LibreOffice or Google Sheets (CSV injection): it gets a leading apostrophe, which they show as text.
 */
export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? "" : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** One record, with its line end. */
export function csvRow(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
