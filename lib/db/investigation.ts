import type { IssueMatcher } from "@/lib/pipeline/investigate";
import type { KnownPattern } from "@/lib/pipeline/patterns";
import type { Prisma, PrismaClient } from "./client";

type Reader = PrismaClient | Prisma.TransactionClient;

/** A peak as enrichment needs it. */
export type PeakToEnrich = { id: number; start: number; namespace: string; plateauStart: number | null; enrichedAt: Date | null };

/** Peaks to enrich: the given ids, or every peak not enriched yet (oldest first). */
export async function findPeaksToEnrich(db: Reader, selection: { peakIds: readonly number[] } | { missingOnly: true }): Promise<PeakToEnrich[]> {
  const rows = await db.peakInvestigation.findMany({
    where: "peakIds" in selection ? { id: { in: [...selection.peakIds] } } : { enrichedAt: null },
    orderBy: [{ timestamp: "asc" }, { namespace: "asc" }],
    select: { id: true, timestamp: true, namespace: true, enrichedAt: true, continuesPeak: { select: { timestamp: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    start: row.timestamp.getTime(),
    namespace: row.namespace,
    plateauStart: row.continuesPeak ? row.continuesPeak.timestamp.getTime() : null,
    enrichedAt: row.enrichedAt,
  }));
}

/** Every stored pattern's id and template, for the miner to continue from. */
export async function loadKnownPatterns(db: Reader): Promise<KnownPattern[]> {
  const rows = await db.errorPattern.findMany({ select: { patternHash: true, template: true }, orderBy: { firstSeen: "asc" } });
  return rows.map((row) => ({ id: row.patternHash, template: row.template }));
}

export type IssueCandidates = {
  knownIssues: (IssueMatcher & { title: string })[];
  knownPeaks: (IssueMatcher & { title: string; solution: string })[];
};

/** Active known issues and resolved known peaks, to match peaks against. */
export async function loadIssueCandidates(db: Reader): Promise<IssueCandidates> {
  const [issues, peaks] = await Promise.all([
    db.knownIssue.findMany({ where: { status: "active" }, select: { id: true, title: true, patternIds: true, regexes: true, namespace: true, appName: true } }),
    db.knownPeak.findMany({ select: { id: true, title: true, solution: true, patternIds: true, regexes: true, namespace: true, appName: true } }),
  ]);
  return { knownIssues: issues, knownPeaks: peaks };
}

/** A pattern seen in one investigated window. */
export type WindowPattern = {
  patternId: string;
  template: string;
  errorType: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  examples: readonly string[];
};

export type PeakEnrichment = {
  traceId: string | null;
  appName: string | null;
  errorType: string | null;
  affectedServices: string[];
  rootCause: string | null;
  topPatterns: Prisma.InputJsonValue;
  knownIssueId: number | null;
  knownPeakId: number | null;
};

/**
 * Adds one window's patterns of one namespace to error_patterns, unless that window and
 * namespace were counted before (pattern_windows); templates, types, first and last seen and
 * examples are refreshed either way. Returns whether the counts were added.
 */
export async function addWindowPatterns(
  transaction: Prisma.TransactionClient,
  window: { start: number; namespace: string; documents: number },
  patterns: readonly WindowPattern[],
  maxExamples: number,
): Promise<boolean> {
  const claimed = await transaction.$executeRaw`
    INSERT INTO pattern_windows (window_start, namespace, documents) VALUES (${new Date(window.start)}, ${window.namespace}, ${window.documents})
    ON CONFLICT (window_start, namespace) DO NOTHING`;
  const isNewWindow = claimed === 1;
  for (const pattern of patterns) {
    const existing = await transaction.errorPattern.findUnique({ where: { patternHash: pattern.patternId } });
    if (!existing) {
      await transaction.errorPattern.create({
        data: {
          patternHash: pattern.patternId,
          template: pattern.template,
          errorType: pattern.errorType,
          firstSeen: new Date(pattern.firstSeen),
          lastSeen: new Date(pattern.lastSeen),
          occurrences: isNewWindow ? pattern.count : 0,
          namespaces: [window.namespace],
          namespaceOccurrences: isNewWindow ? { [window.namespace]: pattern.count } : {},
          exampleMessages: pattern.examples.slice(0, maxExamples),
        },
      });
      continue;
    }
    const byNamespace = { ...((existing.namespaceOccurrences ?? {}) as Record<string, number>) };
    if (isNewWindow) byNamespace[window.namespace] = (byNamespace[window.namespace] ?? 0) + pattern.count;
    const examples = [...existing.exampleMessages];
    for (const example of pattern.examples) if (examples.length < maxExamples && !examples.includes(example)) examples.push(example);
    await transaction.errorPattern.update({
      where: { patternHash: pattern.patternId },
      data: {
        // The template may have been refined since; the id stays.
        template: pattern.template,
        errorType: pattern.errorType,
        firstSeen: new Date(Math.min(existing.firstSeen.getTime(), pattern.firstSeen)),
        lastSeen: new Date(Math.max(existing.lastSeen.getTime(), pattern.lastSeen)),
        ...(isNewWindow ? { occurrences: { increment: pattern.count } } : {}),
        namespaces: existing.namespaces.includes(window.namespace) ? existing.namespaces : [...existing.namespaces, window.namespace].sort(),
        namespaceOccurrences: byNamespace,
        exampleMessages: examples,
      },
    });
  }
  return isNewWindow;
}

/**
 * Stores one peak's investigation in one transaction: the peak's fields, and the window's
 * patterns added to error_patterns unless this window was counted before (pattern_windows), so
 * that enriching again changes nothing.
 */
export async function savePeakEnrichment(
  prisma: PrismaClient,
  peak: { id: number; start: number; namespace: string },
  enrichment: PeakEnrichment,
  patterns: readonly WindowPattern[],
  options: { documents: number; maxExamples: number; now: Date },
): Promise<{ patternsCounted: boolean }> {
  return prisma.$transaction(async (transaction) => {
    const patternsCounted = await addWindowPatterns(transaction, { start: peak.start, namespace: peak.namespace, documents: options.documents }, patterns, options.maxExamples);
    await transaction.peakInvestigation.update({ where: { id: peak.id }, data: { ...enrichment, enrichedAt: options.now } });
    return { patternsCounted };
  });
}

/** Adds the patterns of several (window, namespace) pairs, each counted at most once, in one transaction. */
export async function saveTrackedWindows(
  prisma: PrismaClient,
  windows: readonly { start: number; namespace: string; documents: number; patterns: readonly WindowPattern[] }[],
  maxExamples: number,
): Promise<{ counted: number; alreadyCounted: number }> {
  return prisma.$transaction(
    async (transaction) => {
      let counted = 0;
      for (const window of windows) if (await addWindowPatterns(transaction, window, window.patterns, maxExamples)) counted += 1;
      return { counted, alreadyCounted: windows.length - counted };
    },
    { timeout: 5 * 60_000, maxWait: 60_000 },
  );
}
