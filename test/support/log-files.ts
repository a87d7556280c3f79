import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { createGzip } from "node:zlib";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { WindowGrid } from "@/lib/pipeline/time";

/** Error count of a namespace in the window starting at `start` (UTC ms). */
export type CountPlan = (namespace: string, start: number) => number;

/** Documents of one local day, spread evenly inside each window, in the default field mapping. */
export function* dayDocuments(grid: WindowGrid, day: string, namespaces: readonly string[], plan: CountPlan): Generator<string> {
  const { startMs, endMs } = grid.localDayRange(day);
  for (const start of grid.windowsBetween(startMs, endMs)) {
    for (const namespace of namespaces) {
      const count = plan(namespace, start);
      for (let index = 0; index < count; index += 1) {
        const timestamp = new Date(start + Math.floor(((index + 0.5) * grid.windowMs) / count)).toISOString();
        yield JSON.stringify({
          "@timestamp": timestamp,
          level: "ERROR",
          message: `Request ${index} failed: connection refused to 10.0.0.${index % 250}:5432`,
          kubernetes: { namespace, labels: { app: `${namespace}-api` } },
          trace: { id: `${namespace}-${start}-${index}` },
        });
      }
    }
  }
}

/** Writes lines to a file, gzip-compressed when the name ends in .gz. */
export async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const source = Readable.from(
    (function* () {
      for (const line of lines) yield `${line}\n`;
    })(),
  );
  if (file.endsWith(".gz")) {
    await pipeline(source, createGzip({ level: 1 }), createWriteStream(file));
    return;
  }
  const output = createWriteStream(file);
  await pipeline(source, output);
  if (!output.closed) await once(output, "close");
}

/** Local dates from a first day, one per day. */
export function daysFrom(grid: WindowGrid, firstDay: string, count: number): string[] {
  const days: string[] = [];
  let day = firstDay;
  for (let index = 0; index < count; index += 1) {
    days.push(day);
    day = grid.localDateOf(grid.localDayRange(day).endMs);
  }
  return days;
}

/**
 * The steady four weeks most suites ingest: Monday 5 January 2026 on (no DST change), orders at
 * 6 and payments at 10 errors a window (twice that from 08:00 to 18:00 local), and an incident
 * in payments on the last Thursday, 10:00–11:00 local: four windows of 400 errors.
 */
export function fourWeeksWithIncident(grid: WindowGrid) {
  const incidentStart = Date.parse("2026-01-29T09:00:00Z");
  const incidentWindows = [0, 1, 2, 3].map((index) => incidentStart + index * 900_000);
  const plan: CountPlan = (namespace, start) => {
    if (namespace === "payments" && incidentWindows.includes(start)) return 400;
    const daily = grid.slotOf(start).hourOfDay >= 8 && grid.slotOf(start).hourOfDay < 18 ? 2 : 1;
    return (namespace === "orders" ? 6 : 10) * daily;
  };
  return { namespaces: ["orders", "payments"], days: daysFrom(grid, "2026-01-05", 28), incidentDay: "2026-01-29", incidentStart, incidentWindows, plan };
}
