import type { FrozenConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { loadKnownPatterns, saveTrackedWindows, type WindowPattern } from "@/lib/db/investigation";
import { createClassifier } from "@/lib/pipeline/classify";
import type { LogSource, TimeRange } from "@/lib/pipeline/log-document";
import { createPatternMiner, headlineOf } from "@/lib/pipeline/patterns";

export type TrackReport = {
  range: TimeRange;
  windows: number;
  /** (window, namespace) pairs whose patterns were added now, and those counted by an earlier run. */
  counted: number;
  alreadyCounted: number;
  documentsRead: number;
  documentsTotal: number;
  patterns: { patternId: string; template: string; errorType: string; estimated: number; isNew: boolean }[];
};

type Tally = { count: number; weight: number; firstSeen: number; lastSeen: number; examples: string[]; message: string };

/**
 * The seed's ErrorPatternTracker for a period: reads each window's error documents (at most
 * source.max_documents_per_window, scaled to the window's total), groups them into patterns per
 * namespace and adds them to error_patterns. A (window, namespace) pair is counted once however
 * often the period is tracked, and pattern ids continue those already stored.
 */
export async function trackPatterns(prisma: PrismaClient, config: FrozenConfig, source: LogSource, range: TimeRange): Promise<TrackReport> {
  const known = await loadKnownPatterns(prisma);
  const knownIds = new Set(known.map((pattern) => pattern.id));
  const miner = createPatternMiner({ maxExamples: config.investigation.max_examples }, known);
  const classify = createClassifier(config.classification.rules);
  const maxExamples = config.investigation.max_examples;

  // Per (window, namespace): tallies per miner handle; ids are read at the end, as patterns may merge.
  const windows: { start: number; namespace: string; documents: number; tallies: Map<number, Tally> }[] = [];
  let documentsRead = 0;
  const read = await source.readDocuments({ range, maxPerWindow: config.source.max_documents_per_window }, ({ windowStart, documents, total }) => {
    const weight = documents.length > 0 ? total / documents.length : 0;
    documentsRead += documents.length;
    const byNamespace = new Map<string, { documents: number; tallies: Map<number, Tally> }>();
    for (const document of documents) {
      let entry = byNamespace.get(document.namespace);
      if (!entry) {
        entry = { documents: 0, tallies: new Map() };
        byNamespace.set(document.namespace, entry);
      }
      entry.documents += 1;
      const handle = miner.add(document.message);
      const headline = headlineOf(document.message);
      const tally = entry.tallies.get(handle);
      if (!tally) {
        entry.tallies.set(handle, { count: 1, weight, firstSeen: document.timestamp, lastSeen: document.timestamp, examples: [headline], message: document.message });
        continue;
      }
      tally.count += 1;
      tally.lastSeen = document.timestamp;
      if (tally.examples.length < maxExamples && !tally.examples.includes(headline)) tally.examples.push(headline);
    }
    for (const [namespace, entry] of byNamespace) windows.push({ start: windowStart, namespace, ...entry });
  });

  const totals = new Map<string, { template: string; errorType: string; estimated: number }>();
  const toStore = windows.map((window) => {
    const patterns = new Map<string, WindowPattern>();
    for (const [handle, tally] of window.tallies) {
      const pattern = miner.patternOf(handle);
      const estimated = Math.round(tally.count * tally.weight);
      const errorType = classify(tally.message);
      const existing = patterns.get(pattern.id);
      if (existing) {
        existing.count += estimated;
        existing.firstSeen = Math.min(existing.firstSeen, tally.firstSeen);
        existing.lastSeen = Math.max(existing.lastSeen, tally.lastSeen);
      } else {
        patterns.set(pattern.id, { patternId: pattern.id, template: pattern.template, errorType, count: estimated, firstSeen: tally.firstSeen, lastSeen: tally.lastSeen, examples: tally.examples });
      }
      const total = totals.get(pattern.id);
      if (total) total.estimated += estimated;
      else totals.set(pattern.id, { template: pattern.template, errorType, estimated });
    }
    return { start: window.start, namespace: window.namespace, documents: window.documents, patterns: [...patterns.values()] };
  });
  const saved = await saveTrackedWindows(prisma, toStore, maxExamples);
  return {
    range,
    windows: read.windows,
    counted: saved.counted,
    alreadyCounted: saved.alreadyCounted,
    documentsRead,
    documentsTotal: read.total,
    patterns: [...totals]
      .map(([patternId, total]) => ({ patternId, ...total, isNew: !knownIds.has(patternId) }))
      .sort((left, right) => right.estimated - left.estimated || left.patternId.localeCompare(right.patternId)),
  };
}
