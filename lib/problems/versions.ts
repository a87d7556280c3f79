import type { Db } from "@/lib/db/client";
import { findProblemIncidentFacts, findProblemPattern, type ProblemFactRow } from "@/lib/db/problems";
import { findProblemErrorsByVersion, findVersionsOfNamespaces } from "@/lib/db/versions";
import { UNKNOWN_ERROR_TYPE } from "@/lib/pipeline/classify";
import { parseProblemId } from "@/lib/pipeline/problems";
import type { VersionFinding } from "@/lib/versions/contract";
import { versionImpactOf } from "@/lib/versions/impact";
import { MAX_PROBLEM_VERSION_NAMESPACES, type ProblemVersions } from "./contract";

/**
 * A problem's errors by version over the period, one release impact per namespace it hit (each
 * namespace has its own version timeline): its windows' stored counts in the namespace, compared
 * with the versions that ran there from its first window of the period to its last. The namespaces with the most errors of it come
 * first; `facts` are the problem's own (readProblems with `only`).
 */
export async function problemVersionsOf(
  db: Db,
  problem: { patternIds: readonly string[]; errorType: string },
  facts: readonly ProblemFactRow[],
  range: { from: Date; to: Date },
  windowMs: number,
): Promise<ProblemVersions> {
  const perNamespace = new Map<string, { windows: number; errors: number; fromMs: number; toMs: number }>();
  for (const fact of facts) {
    if (!fact.isCurrent) continue;
    const figures = perNamespace.get(fact.namespace) ?? { windows: 0, errors: 0, fromMs: Number.POSITIVE_INFINITY, toMs: Number.NEGATIVE_INFINITY };
    figures.windows += fact.windows;
    figures.errors += fact.errors;
    figures.fromMs = Math.min(figures.fromMs, fact.firstWindowMs);
    figures.toMs = Math.max(figures.toMs, fact.lastWindowMs + windowMs);
    perNamespace.set(fact.namespace, figures);
  }
  const stored = await findProblemErrorsByVersion(db, { ...problem, unclassified: UNKNOWN_ERROR_TYPE, from: range.from, to: range.to });
  const storedOf = new Map<string, unknown[]>();
  for (const row of stored) storedOf.set(row.namespace, [...(storedOf.get(row.namespace) ?? []), row.errors_by_version]);
  const withVersions = [...perNamespace]
    .filter(([namespace]) => storedOf.has(namespace))
    .sort(([leftName, left], [rightName, right]) => right.errors - left.errors || leftName.localeCompare(rightName));
  const shown = withVersions.slice(0, MAX_PROBLEM_VERSION_NAMESPACES);
  const timelines = await findVersionsOfNamespaces(
    db,
    shown.map(([namespace]) => namespace),
  );
  const namespaces = shown.flatMap(([namespace, figures]) => {
    // As an incident's: versions compare over the problem's own span in the namespace in the period, first window to last.
    const span = { fromMs: figures.fromMs, toMs: figures.toMs };
    const impact = versionImpactOf(storedOf.get(namespace) ?? [], timelines.get(namespace) ?? [], span, { windowMs, windows: figures.windows });
    return impact ? [{ namespace, impact }] : [];
  });
  return {
    namespaces,
    notShown: withVersions.length - shown.length,
    // A namespace whose stored values all failed to parse counts as one without versions.
    withoutVersions: perNamespace.size - withVersions.length + (shown.length - namespaces.length),
  };
}

/**
 * The release findings of each problem over a period, drawn from its errors by version in every
 * namespace it hit (problemVersionsOf), the same finding in several namespaces once: what the
 * daily digest lists with a problem. A few queries per problem: for a digest's top problems.
 */
export async function readProblemsVersionFindings(
  db: Db,
  problemIds: readonly string[],
  range: { previousFrom: Date; from: Date; to: Date },
  windowMs: number,
): Promise<{ problemId: string; findings: VersionFinding[] }[]> {
  return Promise.all(
    problemIds.map(async (problemId) => {
      const key = parseProblemId(problemId);
      if (!key) return { problemId, findings: [] };
      const pattern = await findProblemPattern(db, key.patternId);
      const only = { patternIds: [key.patternId, ...(pattern?.mergedFrom ?? [])], errorType: key.errorType };
      const facts = await findProblemIncidentFacts(db, { ...range, unclassified: UNKNOWN_ERROR_TYPE, only });
      const versions = await problemVersionsOf(db, only, facts, range, windowMs);
      const seen = new Set<string>();
      const findings = versions.namespaces
        .flatMap((entry) => entry.impact.findings)
        .filter((finding) => {
          const text = JSON.stringify(finding);
          if (seen.has(text)) return false;
          seen.add(text);
          return true;
        });
      return { problemId, findings };
    }),
  );
}
