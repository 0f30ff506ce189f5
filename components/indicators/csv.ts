// The CSV the import page sends when committing reviewed items: header `value,type`, one row each.
// RFC 4180 quoting: a field with a comma, quote, CR or LF is quoted and its quotes are doubled.

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function indicatorsCsv(items: readonly { value: string; type: string }[]): string {
  const lines = ["value,type"];
  for (const item of items) lines.push(`${csvField(item.value)},${csvField(item.type)}`);
  return `${lines.join("\r\n")}\r\n`;
}
