import type { Db } from "@/lib/db/client";
import { findPeakSummaries, type PeakSummaryRow } from "@/lib/db/peaks";
import { parseInput } from "@/lib/errors";
import { assertRole, type Actor } from "@/lib/roles";
import { decodeCursor, encodeCursor, listPeaksSchema, type ListPeaksInput, type PeakPage, type PeakSummary } from "./contract";

/** A peak as lists show it (the timeline, an action's answer). */
export function toSummary({ knownPeak, timestamp, ...row }: PeakSummaryRow): PeakSummary {
  return { ...row, timestamp: timestamp.toISOString(), regressionOf: knownPeak };
}

/**
 * A page of peaks for the timeline, newest first (viewers and above). Keyset-paginated on
 * (timestamp desc, id desc): pass the returned nextCursor for the next page; null on the last.
 */
export async function listPeaks(db: Db, actor: Actor | null, filter: ListPeaksInput = {}): Promise<PeakPage> {
  assertRole(actor, "viewer");
  const parsed = parseInput(listPeaksSchema, filter);
  const cursor = parsed.cursor === undefined ? null : decodeCursor(parsed.cursor);
  const rows = await findPeakSummaries(db, {
    status: parsed.status,
    severity: parsed.severity,
    namespace: parsed.namespace,
    label: parsed.label,
    from: parsed.from ? new Date(parsed.from) : undefined,
    to: parsed.to ? new Date(parsed.to) : undefined,
    after: cursor ? { timestamp: new Date(cursor.timestampMs), id: cursor.id } : undefined,
    // One more than the page: whether there is a next page.
    limit: parsed.limit + 1,
  });
  const page = rows.slice(0, parsed.limit);
  const last = page.at(-1);
  return {
    peaks: page.map(toSummary),
    nextCursor: rows.length > parsed.limit && last ? encodeCursor({ timestampMs: last.timestamp.getTime(), id: last.id }) : null,
  };
}
