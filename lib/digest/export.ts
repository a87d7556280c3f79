import type { Db } from "@/lib/db/client";
import { parseInput } from "@/lib/errors";
import type { Actor } from "@/lib/roles";
import { digestReportRequestSchema, type DigestContent, type DigestReportRequest } from "./contract";
import { readDigest, type DigestSettings } from "./read";
import { digestCsv, digestCsvFileName } from "./render-csv";

/** A digest as GET /api/reports/daily/[date] answers it: the whole content as JSON, or one table as a CSV file. */
export type DigestExport = { format: "json"; content: DigestContent } | { format: "csv"; fileName: string; text: string };

/** The digest of a date, or one of its tables as CSV (viewers and above); 400 for a bad request, 404 for a date not due yet. */
export async function exportDigest(db: Db, actor: Actor | null, input: DigestReportRequest, settings: DigestSettings): Promise<DigestExport> {
  const request = parseInput(digestReportRequestSchema, input);
  const content = await readDigest(db, actor, { date: request.date }, settings);
  if (request.format === "json" || request.table === undefined) return { format: "json", content };
  return { format: "csv", fileName: digestCsvFileName(content.date, request.table), text: digestCsv(content, request.table) };
}
