import { z } from "zod";
import { isIsoDate } from "@/lib/pipeline/digest-period";
import type { ProblemSummary } from "@/lib/problems/contract";
import type { VersionFindingKind } from "@/lib/versions/contract";

// The daily digest as the browser, the route handlers and the command line see it: one content
// object (composed by compose.ts) that every output is rendered from. JSON-safe: times are ISO.

/** The tables of a digest, each its own CSV. */
export const digestTables = ["problems", "incidents", "data-gaps", "versions"] as const;
export type DigestTable = (typeof digestTables)[number];

export const digestFormats = ["html", "json", "csv"] as const;
export type DigestFormat = (typeof digestFormats)[number];

/** The earliest date a digest is made for: anything older is a typo, not a report. */
export const EARLIEST_DIGEST_DATE = "2000-01-01";

/** Open incidents, new versions and data gaps listed at most (each table says how many there are). */
export const MAX_DIGEST_ROWS = 100;

/** A local date YYYY-MM-DD that is a real calendar date, from EARLIEST_DIGEST_DATE on (whether it is due is the use case's to say). */
export const digestDateSchema = z
  .string()
  .trim()
  .refine(isIsoDate, { message: "must be a date written YYYY-MM-DD" })
  .refine((date) => date >= EARLIEST_DIGEST_DATE, { message: `must be ${EARLIEST_DIGEST_DATE} or later` });

/** GET /api/reports/daily/[date]: one table as CSV, or the whole content as JSON. */
export const digestReportRequestSchema = z
  .object({
    date: digestDateSchema,
    format: z.enum(["csv", "json"]).default("json"),
    table: z.enum(digestTables).optional(),
  })
  .refine((request) => request.format !== "csv" || request.table !== undefined, {
    message: `is needed with format=csv: one of ${digestTables.join(", ")}`,
    path: ["table"],
  });
export type DigestReportRequest = z.input<typeof digestReportRequestSchema>;

/** A release finding of one problem, in words (lib/versions/words.ts). */
export type DigestVersionFinding = { kind: VersionFindingKind; text: string };

/** A problem of the digest: as the problems list has it, with its rank and release findings. */
export type DigestProblem = ProblemSummary & { rank: number; url: string; versionFindings: DigestVersionFinding[] };

/** An incident open at the digest's end. */
export type DigestIncident = {
  id: number;
  url: string;
  namespace: string;
  /** First window start, last window end. */
  start: string;
  end: string;
  /** Still producing peak windows at the digest's end. */
  isOngoing: boolean;
  status: "open" | "acknowledged" | "resolved";
  severity: string;
  windows: number;
  errors: number;
  owner: string | null;
  knownIssue: string | null;
  snoozedUntil: string | null;
};

/** A data gap open at the digest's end, or open during its period. */
export type DigestDataGap = {
  id: number;
  kind: "stale" | "silent";
  /** "" for a stale source; the namespace for a silent one. */
  subject: string;
  detail: string;
  dataUntil: string | null;
  openedAt: string;
  /** null: still open now; else when it closed (after the period's start). */
  closedAt: string | null;
  /** Open at the period's end. */
  isOpen: boolean;
};

/**
 * An application version first seen in a namespace during the period, with the errors its counted
 * windows had so far; null when no window of it was counted yet (only dated), never shown as 0.
 */
export type DigestVersion = { namespace: string; version: string; firstSeen: string; errors: number | null };

export type DigestContent = {
  date: string;
  timeZone: string;
  localTime: string;
  /** [from, to): from the day before at local_time to the date at local_time. */
  period: { from: string; to: string; minutes: number };
  /** The report's page. */
  url: string;
  /** One line: what needs attention. */
  headline: string;
  top: number;
  problems: DigestProblem[];
  /** Problems of the period, of which `problems` are the top. */
  problemTotal: number;
  /** Peak windows of the period not investigated yet (in no problem). */
  windowsWithoutRootCause: number;
  /** Release findings of the listed problems, one line each, for the digest's "releases" part. */
  releaseFindings: { problemId: string; kind: VersionFindingKind; text: string }[];
  newVersions: DigestVersion[];
  newVersionTotal: number;
  openIncidents: DigestIncident[];
  openIncidentTotal: number;
  dataGaps: DigestDataGap[];
};
