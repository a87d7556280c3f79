import { z } from "zod";
import { formatCount } from "@/lib/format";
import { formatInstantNear, formatRangeNear } from "./time-words";

// What a pipeline run found about its data, as lib/jobs/pipeline.ts stores it in
// pipeline_runs.findings. Every field is optional and a malformed one is dropped, so that a run
// recorded by an older (or newer) version still reads.
export const runFindingsSchema = z.object({
  /** The spans the source covered (ISO instants). */
  coverage: z
    .array(z.object({ from: z.string(), to: z.string() }))
    .optional()
    .catch(undefined),
  /** The source's newest document (ISO), when it could tell. */
  dataUntil: z.string().nullable().optional().catch(undefined),
  /** Why windows of the range were left for a later run, in words. */
  waiting: z.string().optional().catch(undefined),
  /** The source is further behind than stale_after_minutes. */
  stale: z.object({ dataUntil: z.string().nullish(), minutesBehind: z.number().nullable(), threshold: z.number() }).optional().catch(undefined),
  /** The source answered but held no document of any level in the range. */
  readNothing: z.boolean().optional().catch(undefined),
  /** Windows no input covered, left unstored. */
  gapWindows: z.number().int().nonnegative().optional().catch(undefined),
  /** Stored windows corrected by late documents. */
  corrected: z.number().int().nonnegative().optional().catch(undefined),
  /** Namespaces whose recent windows were read and empty where their baselines expect errors. */
  silent: z
    .array(z.object({ namespace: z.string(), since: z.string(), expected: z.number() }))
    .optional()
    .catch(undefined),
});
export type RunFindings = z.output<typeof runFindingsSchema>;

/** A run's stored findings read back; anything unreadable is left out (never thrown). */
export function readRunFindings(value: unknown): RunFindings {
  const parsed = runFindingsSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}

/** The fields of a run (as the API answers with it) that its data's words are made from. */
export type RunCoverageFacts = { status: string; rangeFrom: string; rangeTo: string; coveredTo: string | null; findings: unknown };

/** A run's badge: its status, and for a success that did not read all it should, why (never a plain green success). */
export function runBadge(run: RunCoverageFacts): { tone: string; label: string } {
  if (run.status !== "succeeded") return { tone: run.status, label: run.status };
  const findings = readRunFindings(run.findings);
  if (findings.readNothing) return { tone: "warning", label: "succeeded · read nothing" };
  if (findings.stale) return { tone: "warning", label: "succeeded · source behind" };
  if (findings.waiting) return { tone: "warning", label: "succeeded · waiting for data" };
  if ((findings.gapWindows ?? 0) > 0) return { tone: "warning", label: "succeeded · with gaps" };
  if ((findings.silent ?? []).length > 0) return { tone: "warning", label: "succeeded · silent namespace" };
  return { tone: "succeeded", label: "succeeded" };
}

const plural = (count: number, one: string, many: string) => `${formatCount(count)} ${count === 1 ? one : many}`;

/** How much of its range a run processed, in words (null when there is nothing to say yet). */
export function describeCoverage(run: RunCoverageFacts, nowMs: number, timeZone: string): string | null {
  if (run.status === "running") return null;
  const fromMs = Date.parse(run.rangeFrom);
  const toMs = Date.parse(run.rangeTo);
  if (run.coveredTo === null) {
    return run.status === "succeeded" ? "the whole range (the run did not record its coverage)" : null;
  }
  const coveredMs = Date.parse(run.coveredTo);
  if (coveredMs >= toMs) return "the whole range";
  if (coveredMs <= fromMs) return "nothing: the source had no data for the range yet";
  return `up to ${formatInstantNear(coveredMs, nowMs, timeZone)}; ${formatRangeNear(coveredMs, toMs, nowMs, timeZone)} waits for the next run`;
}

/** One line for a run in a list: how far it got and what it found ("processed to 11:15 · 3 windows without data"); null when all is well. */
export function summarizeFindings(run: RunCoverageFacts, nowMs: number, timeZone: string): string | null {
  const findings = readRunFindings(run.findings);
  const parts: string[] = [];
  if (findings.readNothing) parts.push("read nothing");
  else if (run.coveredTo !== null && run.status !== "running") {
    const coveredMs = Date.parse(run.coveredTo);
    if (coveredMs <= Date.parse(run.rangeFrom)) parts.push("processed nothing");
    else if (coveredMs < Date.parse(run.rangeTo)) parts.push(`processed to ${formatInstantNear(coveredMs, nowMs, timeZone)}`);
  }
  if (findings.stale)
    parts.push(findings.stale.minutesBehind === null ? "source has no recent data" : `source ${formatCount(findings.stale.minutesBehind)} min behind`);
  else if (findings.waiting && !parts.some((part) => part.startsWith("processed"))) parts.push("waiting for data");
  if ((findings.gapWindows ?? 0) > 0) parts.push(`${plural(findings.gapWindows!, "window", "windows")} without data`);
  for (const silent of findings.silent ?? []) parts.push(`${silent.namespace} silent`);
  if ((findings.corrected ?? 0) > 0) parts.push(`${plural(findings.corrected!, "window", "windows")} corrected`);
  return parts.length > 0 ? parts.join(" · ") : null;
}

/** A finding in a sentence, with whether it is a warning (the run did not read what it should have). */
export type FindingLine = { text: string; isWarning: boolean };

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}`;

/** Everything a run found about its data, one sentence each, warnings first. */
export function describeFindings(run: RunCoverageFacts, nowMs: number, timeZone: string): FindingLine[] {
  const findings = readRunFindings(run.findings);
  const at = (iso: string) => formatInstantNear(Date.parse(iso), nowMs, timeZone);
  const warnings: string[] = [];
  const notes: string[] = [];
  if (findings.readNothing) warnings.push("the source answered but held no document of any level in the range: nothing was read, nothing stored");
  if (findings.stale) {
    const until = findings.stale.dataUntil ?? findings.dataUntil ?? null;
    warnings.push(
      findings.stale.minutesBehind === null
        ? `the log source is stale: it holds no recent document (allowed: ${formatCount(findings.stale.threshold)} min behind)`
        : `the log source is stale: ${formatCount(findings.stale.minutesBehind)} min behind${until ? `, no data since ${at(until)}` : ""} (allowed: ${formatCount(findings.stale.threshold)} min)`,
    );
  }
  // A stale source's sentence says all its waiting one would (how far behind, since when).
  if (findings.waiting && !findings.stale) warnings.push(findings.waiting);
  if ((findings.gapWindows ?? 0) > 0) {
    warnings.push(`${plural(findings.gapWindows!, "window was", "windows were")} not covered by any source and left unstored (shown as gaps, not as zero)`);
  }
  for (const silent of findings.silent ?? []) {
    warnings.push(
      `no errors from ${silent.namespace} since ${at(silent.since)}, where its baselines expect about ${formatCount(silent.expected)}: is it still logging?`,
    );
  }
  if ((findings.corrected ?? 0) > 0) notes.push(`${plural(findings.corrected!, "stored window was", "stored windows were")} corrected by late documents`);
  return [...warnings.map((text) => ({ text: sentence(text), isWarning: true })), ...notes.map((text) => ({ text: sentence(text), isWarning: false }))];
}

/** The spans the source covered, in words ("26 Nov, 23:00 – 27 Nov, 10:42"), at most `limit` with "and N more". */
export function describeSourceCoverage(run: RunCoverageFacts, nowMs: number, timeZone: string, limit = 3): string | null {
  const spans = readRunFindings(run.findings).coverage;
  if (!spans) return null;
  if (spans.length === 0) return "nothing";
  const listed = spans.slice(0, limit).map((span) => formatRangeNear(Date.parse(span.from), Date.parse(span.to), nowMs, timeZone));
  return spans.length > limit ? `${listed.join(", ")} and ${formatCount(spans.length - limit)} more` : listed.join(", ");
}
