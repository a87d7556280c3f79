import { explainingRootCauses } from "@/lib/pipeline/investigate";
import type { FrozenConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { countCatalogue, findPeaksForSampleTriage } from "@/lib/db/sample-data";
import type { LogSource } from "@/lib/pipeline/log-document";
import { peakInvestigationFactsSchema } from "@/lib/peaks/contract";
import { addNote, createKnownIssueFromPeak, resolvePeak } from "@/lib/peaks/triage";
import { sampleDataActor } from "@/lib/roles";
import { enrichPeaks } from "./enrich";
import { withWindowsLock } from "./run-lock";

// The first start's investigation of the sample data set (`npm start` on an empty database): every
// peak enriched, then one known issue and one resolved known peak made through the analysts' own
// actions, so that every page of the dashboard shows real content from the start.

/** A peak as the choice of the examples sees it. */
export type TriageCandidate = {
  id: number;
  /** Its stored incident (lib/incidents); null only for a window not placed yet, an incident of its own. */
  incidentId: number | null;
  namespace: string;
  startMs: number;
  /** Errors above the baseline mean (never below 0). */
  excess: number;
  isOpen: boolean;
  hasKnownIssue: boolean;
  /** Its root-cause pattern ids (else its most frequent pattern's); empty when not enriched. */
  patternIds: readonly string[];
};

/** The peaks by incident, biggest (most errors above the baselines) first, each in time order. */
function incidentsOf<Peak extends TriageCandidate>(peaks: readonly Peak[]): Peak[][] {
  const byIncident = new Map<string, Peak[]>();
  for (const peak of [...peaks].sort((left, right) => left.startMs - right.startMs || left.id - right.id)) {
    const key = peak.incidentId === null ? `peak:${peak.id}` : `incident:${peak.incidentId}`;
    const windows = byIncident.get(key);
    if (windows) windows.push(peak);
    else byIncident.set(key, [peak]);
  }
  const excessOf = (windows: readonly Peak[]) => windows.reduce((sum, peak) => sum + peak.excess, 0);
  // Ties by the earlier start, then the namespace, so that the choice is the same on every database.
  return [...byIncident.values()].sort(
    (left, right) => excessOf(right) - excessOf(left) || left[0]!.startMs - right[0]!.startMs || left[0]!.namespace.localeCompare(right[0]!.namespace),
  );
}

/**
 * The first window, open and investigated, of the biggest incident that has one; `accepts`
 * narrows the windows considered. Null when no incident has such a window.
 */
export function chooseExamplePeak<Peak extends TriageCandidate>(peaks: readonly Peak[], accepts: (peak: Peak) => boolean = () => true): Peak | null {
  for (const windows of incidentsOf(peaks)) {
    const first = windows.find((peak) => peak.isOpen && !peak.hasKnownIssue && peak.patternIds.length > 0 && accepts(peak));
    if (first) return first;
  }
  return null;
}

/**
 * The root-cause pattern ids of an enriched peak (else its most frequent pattern's), and the
 * title the dashboard proposes for a known issue or known peak made from it: the template of its
 * first root cause or top pattern, else its root cause, at most 200 characters.
 */
function matcherOf(row: { namespace: string; rootCause: string | null; topPatterns: unknown; enrichedAt: Date | null }): {
  patternIds: string[];
  title: string;
} {
  const fallback = (row.rootCause ?? `Errors in ${row.namespace}`).slice(0, 200);
  const parsed = row.enrichedAt === null ? null : peakInvestigationFactsSchema.safeParse(row.topPatterns);
  if (!parsed?.success) return { patternIds: [], title: fallback };
  const patterns = parsed.data.rootCauses.length > 0 ? explainingRootCauses(parsed.data.rootCauses) : parsed.data.patterns.slice(0, 1);
  return { patternIds: [...new Set(patterns.map((pattern) => pattern.patternId))], title: (patterns[0]?.template ?? fallback).slice(0, 200) };
}

async function loadCandidates(db: Db): Promise<(TriageCandidate & { title: string })[]> {
  const rows = await findPeaksForSampleTriage(db);
  return rows.map((row) => ({
    id: row.id,
    incidentId: row.incidentId,
    namespace: row.namespace,
    startMs: row.timestamp.getTime(),
    excess: Math.max(0, row.errorCount - row.baselineMean),
    isOpen: row.status === "open",
    hasKnownIssue: row.knownIssueId !== null,
    ...matcherOf(row),
  }));
}

export type FirstStartReport = {
  enriched: number;
  withoutDocuments: number;
  knownIssue: { id: number; title: string; fromPeakId: number; labelledPeakIds: number[] } | null;
  resolvedPeak: { peakId: number; knownPeakId: number } | null;
  /** Why no examples were added, when they were not. */
  skipped: string | null;
};

/**
 * Investigates a freshly loaded sample data set: enriches every peak not enriched yet (holding
 * the windows lock, as `peaks enrich --all` does), then, when the catalogue is empty, creates a
 * known issue from the first window of the biggest incident (labelling the open peaks it
 * matches) and resolves a peak of another root cause with an example solution, both as the
 * `sample data` actor with a note saying so. `onStep` gets one line per step.
 */
export async function investigateSample(
  db: Db,
  config: FrozenConfig,
  source: LogSource,
  options: { onStep?: (line: string) => void; now?: () => Date } = {},
): Promise<FirstStartReport> {
  const step = options.onStep ?? (() => {});
  step("Investigating the sample peaks: patterns, root causes by trace, new vs. usual, known issues…");
  const enrichment = await withWindowsLock(db, config, "first start (sample data)", () =>
    enrichPeaks(db, config, source, { missingOnly: true }, options.now ? { now: options.now } : {}),
  );
  step(
    `Investigated ${enrichment.enriched} peaks${enrichment.withoutDocuments > 0 ? `; ${enrichment.withoutDocuments} had no documents in the sample files` : ""}.`,
  );
  const report: FirstStartReport = {
    enriched: enrichment.enriched,
    withoutDocuments: enrichment.withoutDocuments,
    knownIssue: null,
    resolvedPeak: null,
    skipped: null,
  };

  const catalogue = await countCatalogue(db);
  if (catalogue.knownIssues > 0 || catalogue.knownPeaks > 0) {
    report.skipped = "the catalogue already holds known issues or known peaks";
    step(`No example known issue or known peak added: ${report.skipped}.`);
    return report;
  }
  const issuePeak = chooseExamplePeak(await loadCandidates(db));
  if (!issuePeak) {
    report.skipped = "no open, investigated peak";
    step(`No example known issue or known peak added: ${report.skipped}.`);
    return report;
  }
  const { title } = issuePeak;
  const created = await createKnownIssueFromPeak(db, sampleDataActor, issuePeak.id, {
    title,
    description:
      `Came with the sample data: the first start created it from peak #${issuePeak.id}, the first window of the sample's biggest incident, ` +
      "so that the peaks with this root cause show as known. Edit or resolve it like any other.",
    scope: "namespace",
    labelMatching: true,
  });
  await addNote(db, sampleDataActor, issuePeak.id, {
    text: "Came with the sample data: the first start made this peak's root cause a known issue, to show how one labels the peaks it matches.",
  });
  const knownIssueId = created.peak.knownIssue?.id;
  if (knownIssueId === undefined) throw new Error(`Peak ${issuePeak.id} was marked as a known issue but names none`);
  report.knownIssue = { id: knownIssueId, title, fromPeakId: issuePeak.id, labelledPeakIds: created.labelled.map((peak) => peak.id) };
  step(
    `Known issue #${knownIssueId} “${title}” from peak #${issuePeak.id} in ${issuePeak.namespace} (the biggest incident); ` +
      `labelled ${created.labelled.length} other open ${created.labelled.length === 1 ? "peak" : "peaks"} it matches.`,
  );

  const issuePatterns = new Set(issuePeak.patternIds);
  const resolvable = chooseExamplePeak(await loadCandidates(db), (peak) => peak.patternIds.every((id) => !issuePatterns.has(id)));
  if (!resolvable) {
    report.skipped = "no open, investigated peak with another root cause to resolve";
    step(`No example known peak added: ${report.skipped}.`);
    return report;
  }
  const resolved = await resolvePeak(db, sampleDataActor, resolvable.id, {
    title: resolvable.title,
    solution:
      "Example solution from the sample data. Write what fixed it (the change, the ticket): a later peak with this root cause is then reported as a regression with this text.",
    scope: "namespace",
  });
  await addNote(db, sampleDataActor, resolvable.id, {
    text: "Came with the sample data: the first start resolved this peak with an example solution, which made its root cause a known peak.",
  });
  report.resolvedPeak = { peakId: resolvable.id, knownPeakId: resolved.knownPeakId };
  step(`Resolved peak #${resolvable.id} in ${resolvable.namespace} with an example solution: known peak #${resolved.knownPeakId}.`);
  return report;
}
