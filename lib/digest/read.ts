import { z } from "zod";
import type { FrozenConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { findDataGapsDuring } from "@/lib/db/data-gaps";
import { findIncidentsOpenAt, findIncidentTotals } from "@/lib/db/incidents";
import { countWindowsWithoutRootCause, findProblemTemplates } from "@/lib/db/problems";
import { findVersionsFirstSeenDuring } from "@/lib/db/versions";
import { NotFoundError, parseInput } from "@/lib/errors";
import { digestPeriodOf, isDigestDue, newestDueDigestDate, type DigestPeriod } from "@/lib/pipeline/digest-period";
import { compareActionable } from "@/lib/pipeline/problems";
import type { WindowGrid } from "@/lib/pipeline/time";
import { describeInstant } from "@/lib/pipeline/time";
import { problemSettingsOf, readProblems, summarize } from "@/lib/problems/summaries";
import { readProblemsVersionFindings } from "@/lib/problems/versions";
import { assertRole, type Actor } from "@/lib/roles";
import { composeDigest } from "./compose";
import { digestDateSchema, MAX_DIGEST_ROWS, type DigestContent } from "./contract";

// Reading a digest's content for a local date: the period's problems ranked as the problems list
// ranks them (lib/problems), the versions first seen, the incidents open at its end and the data
// gaps of it, composed by compose.ts.

export type DigestSettings = {
  config: Pick<FrozenConfig, "window_minutes" | "problems" | "digest" | "timezone"> & { notifications: Pick<FrozenConfig["notifications"], "dashboard_url"> };
  grid: WindowGrid;
  now: Date;
};

const SEVERITY_BY_RANK = ["low", "low", "medium", "high", "critical"] as const;

/** The newest local date whose digest is due now. */
export function newestDueDate(settings: Pick<DigestSettings, "config" | "grid" | "now">): string {
  return newestDueDigestDate(settings.now.getTime(), settings.config.digest.local_time, settings.grid);
}

/**
 * The digest of a local date (viewers and above). 400 for a text that is not a date, 404 for a
 * date whose digest is not due yet (its local_time is still ahead).
 */
export async function readDigest(db: Db, actor: Actor | null, input: { date: string }, settings: DigestSettings): Promise<DigestContent> {
  assertRole(actor, "viewer");
  const { date } = parseInput(z.object({ date: digestDateSchema }), input);
  const { config, grid } = settings;
  if (!isDigestDue(date, config.digest.local_time, settings.now.getTime(), grid)) {
    throw new NotFoundError(
      `The digest of ${date} does not exist yet: it covers the 24 h up to ${describeInstant(digestPeriodOf(date, config.digest.local_time, grid).toMs, grid)}`,
    );
  }
  return composeDigestOf(db, digestPeriodOf(date, config.digest.local_time, grid), settings);
}

async function composeDigestOf(db: Db, period: DigestPeriod, settings: DigestSettings): Promise<DigestContent> {
  const { config } = settings;
  const from = new Date(period.fromMs);
  const to = new Date(period.toMs);
  // The trend compares with the period of the same length before it, as the problems list does.
  const range = { previousFrom: new Date(period.fromMs - (period.toMs - period.fromMs)), from, to };
  const [{ problems }, windowsWithoutRootCause, versions, incidents, gaps] = await Promise.all([
    readProblems(db, range, problemSettingsOf(config)),
    countWindowsWithoutRootCause(db, { from, to }),
    findVersionsFirstSeenDuring(db, { from, to }, MAX_DIGEST_ROWS),
    findIncidentsOpenAt(db, to, MAX_DIGEST_ROWS),
    findDataGapsDuring(db, { from, to }, MAX_DIGEST_ROWS),
  ]);
  const top = problems.sort(compareActionable).slice(0, config.digest.top);
  const summaries = await summarize(db, top, await findProblemTemplates(db, top), range, config.window_minutes * 60_000);
  const [totals, versionFindings] = await Promise.all([
    findIncidentTotals(
      db,
      incidents.rows.map((row) => row.id),
    ),
    readProblemsVersionFindings(
      db,
      summaries.map((problem) => problem.id),
      range,
      config.window_minutes * 60_000,
    ),
  ]);
  const totalsOf = new Map(totals.map((row) => [row.incident_id, row]));
  return composeDigest({
    period,
    timeZone: config.timezone,
    localTime: config.digest.local_time,
    top: config.digest.top,
    dashboardUrl: config.notifications.dashboard_url,
    problems: summaries,
    problemTotal: problems.length,
    windowsWithoutRootCause,
    versionFindings,
    newVersions: versions.versions,
    newVersionTotal: versions.total,
    openIncidents: incidents.rows.map((row) => {
      const figures = totalsOf.get(row.id);
      return {
        id: row.id,
        namespace: row.namespace,
        startMs: row.started_at.getTime(),
        endMs: row.last_window_at.getTime() + config.window_minutes * 60_000,
        isOngoing: row.ended_at === null || row.ended_at.getTime() > period.toMs,
        status: row.status === "acknowledged" ? "acknowledged" : row.status === "resolved" ? "resolved" : "open",
        severity: SEVERITY_BY_RANK[Number(figures?.severity_rank ?? 1)] ?? "low",
        windows: Number(figures?.windows ?? 0),
        errors: Number(figures?.errors ?? 0),
        owner: row.owner_email,
        knownIssue: row.known_issue_title,
        snoozedUntilMs: row.snoozed_until?.getTime() ?? null,
      };
    }),
    openIncidentTotal: incidents.total,
    dataGaps: gaps.map((gap) => ({
      id: gap.id,
      kind: gap.kind,
      subject: gap.subject,
      detail: gap.detail,
      dataUntilMs: gap.dataUntil?.getTime() ?? null,
      openedAtMs: gap.openedAt.getTime(),
      closedAtMs: gap.closedAt?.getTime() ?? null,
    })),
  });
}
