import { formatCsvField } from "@/lib/csv";

/** Formats rows as an aligned plain-text table with a header line. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

/** ISO-8601 in UTC without milliseconds, or "-". */
export function formatTime(value: Date | null | undefined): string {
  return value ? value.toISOString().replace(/\.\d{3}Z$/, "Z") : "-";
}

export const outputFormats = ["table", "json"] as const;
export type OutputFormat = (typeof outputFormats)[number];

/** One CSV cell (RFC 4180): dates as ISO-8601, arrays space-separated, quoted when needed; empty text is an empty cell. */
export function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(" ") : String(value);
  return formatCsvField(text === "" ? null : text);
}
