import { formatCsvField } from "@/lib/csv";
import { dateTimeFormat } from "@/lib/format";
import { cliSettings } from "./services";

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

/**
 * An instant in the configured time zone for tables and messages, with its UTC offset so that it
 * is never ambiguous ("2026-11-23 09:00:00 +01:00"), or "-". JSON and CSV keep ISO-8601 UTC.
 */
export function formatTime(value: Date | null | undefined, timeZone: string): string {
  if (!value) return "-";
  const parts = Object.fromEntries(
    dateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "longOffset",
    })
      .formatToParts(value)
      .map((part) => [part.type, part.value]),
  );
  // "GMT+01:00", or "GMT" at offset zero.
  const offset = (parts.timeZoneName ?? "GMT").replace(/^GMT/, "") || "+00:00";
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${offset}`;
}

/** formatTime in values.yaml's time zone: how every command's tables and messages show times. */
export function formatConfiguredTime(value: Date | null | undefined): string {
  return formatTime(value, cliSettings().config.timezone);
}

export const outputFormats = ["table", "json"] as const;
export type OutputFormat = (typeof outputFormats)[number];

/** One CSV cell (RFC 4180): dates as ISO-8601, arrays space-separated, quoted when needed; empty text is an empty cell. */
export function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(" ") : String(value);
  return formatCsvField(text === "" ? null : text);
}
