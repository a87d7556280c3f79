/**
 * Investigation of a peak window (the seed's TraceAnalyzer and KnownIssuesMatcher): error
 * patterns, root causes by trace, the representative trace, affected services, what is new or
 * grown against the usual, and the known issue or resolved incident it matches.
 */
import type { Classifier } from "./classify";
import type { LogDocument } from "./log-document";
import { headlineOf, type PatternMiner } from "./patterns";
import { compileUserRegex } from "./user-regex";
import { pickSample, MAX_SAMPLED_HEADLINES } from "./value-sample";

export type PatternCount = {
  patternId: string;
  template: string;
  count: number;
  errorType: string;
  /** The first message of the pattern (its headline). */
  example: string;
  /** A few distinct headlines. */
  examples: string[];
  /** First and last occurrence in the window, UTC ms. */
  firstSeen: number;
  lastSeen: number;
};

const MAX_EXAMPLES = 3;

export type TraceError = { timestamp: number; app: string | null; patternId: string; message: string };

export type RootCause = PatternCount & {
  /** Traces whose earliest error has this pattern. */
  traces: number;
  /** Share of all traces. */
  share: number;
};

export type WindowInvestigation = {
  documents: number;
  /** Documents without a trace id: counted and patterned, but in no trace. */
  untraced: number;
  traces: number;
  patterns: PatternCount[];
  rootCauses: RootCause[];
  /** The dominant root cause; with no trace at all, the most frequent pattern. */
  rootCause: PatternCount | null;
  representativeTrace: { traceId: string; errors: TraceError[] } | null;
  /** Apps in the traces of the dominant root cause (all apps when nothing is traced), most errors first. */
  affectedServices: string[];
  /** The app of the representative trace's root cause, else the app with most errors. */
  app: string | null;
  errorType: string | null;
  /**
   * Per pattern id (as found here), a uniform sample of at most MAX_SAMPLED_HEADLINES of its
   * headlines, in time order: the values at its wildcards are read from them when it is stored.
   */
  headlineSamples: ReadonlyMap<string, readonly string[]>;
};

const MAX_TRACE_ERRORS = 50;

function byCountThenId<T extends { count: number; patternId: string }>(left: T, right: T): number {
  return right.count - left.count || left.patternId.localeCompare(right.patternId);
}

function rankApps(documents: readonly LogDocument[]): string[] {
  const counts = new Map<string, number>();
  for (const document of documents) if (document.app) counts.set(document.app, (counts.get(document.app) ?? 0) + 1);
  return [...counts].sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0])).map(([app]) => app);
}

/**
 * Investigates the documents of one window (any order). The root cause of a trace is its
 * earliest error; the dominant root cause is the pattern that is the root cause of most traces;
 * the representative trace is the longest trace with that root cause (the earliest on a tie).
 */
export function investigateWindow(documents: readonly LogDocument[], miner: PatternMiner, classify: Classifier): WindowInvestigation {
  const sorted = [...documents].sort((left, right) => left.timestamp - right.timestamp);
  const handles = sorted.map((document) => miner.add(document.message));
  const patternOf = (index: number) => miner.patternOf(handles[index]!);

  // Patterns are read once all messages are in: later messages may refine or merge them.
  const counts = new Map<string, PatternCount>();
  const messagesOf = new Map<string, string[]>();
  for (let index = 0; index < sorted.length; index += 1) {
    const pattern = patternOf(index);
    const document = sorted[index]!;
    const headline = document.message.split("\n")[0] ?? "";
    const own = messagesOf.get(pattern.id);
    if (own) own.push(document.message);
    else messagesOf.set(pattern.id, [document.message]);
    const entry = counts.get(pattern.id);
    if (!entry) {
      counts.set(pattern.id, {
        patternId: pattern.id,
        template: pattern.template,
        count: 1,
        errorType: classify(document.message),
        example: headline,
        examples: [headline],
        firstSeen: document.timestamp,
        lastSeen: document.timestamp,
      });
      continue;
    }
    entry.count += 1;
    entry.lastSeen = document.timestamp;
    if (entry.examples.length < MAX_EXAMPLES && !entry.examples.includes(headline)) entry.examples.push(headline);
  }
  const patterns = [...counts.values()].sort(byCountThenId);

  const traces = new Map<string, number[]>();
  let untraced = 0;
  for (let index = 0; index < sorted.length; index += 1) {
    const traceId = sorted[index]!.traceId;
    if (traceId === null) {
      untraced += 1;
      continue;
    }
    const members = traces.get(traceId);
    if (members) members.push(index);
    else traces.set(traceId, [index]);
  }

  const rootCauseCounts = new Map<string, RootCause>();
  for (const members of traces.values()) {
    const first = counts.get(patternOf(members[0]!).id)!;
    const entry = rootCauseCounts.get(first.patternId);
    if (entry) entry.traces += 1;
    else rootCauseCounts.set(first.patternId, { ...first, traces: 1, share: 0 });
  }
  const rootCauses = [...rootCauseCounts.values()]
    .map((entry) => ({ ...entry, share: entry.traces / traces.size }))
    .sort((left, right) => right.traces - left.traces || byCountThenId(left, right));

  const dominant = rootCauses[0] ?? null;
  let representative: { traceId: string; members: number[] } | null = null;
  if (dominant) {
    for (const [traceId, members] of traces) {
      if (patternOf(members[0]!).id !== dominant.patternId) continue;
      if (
        !representative ||
        members.length > representative.members.length ||
        (members.length === representative.members.length && sorted[members[0]!]!.timestamp < sorted[representative.members[0]!]!.timestamp)
      ) {
        representative = { traceId, members };
      }
    }
  }
  const dominantTraceDocuments = dominant
    ? [...traces.values()].filter((members) => patternOf(members[0]!).id === dominant.patternId).flatMap((members) => members.map((index) => sorted[index]!))
    : sorted;
  const affectedServices = rankApps(dominantTraceDocuments);
  const rootCause: PatternCount | null = dominant ? counts.get(dominant.patternId)! : (patterns[0] ?? null);
  const representativeTrace = representative
    ? {
        traceId: representative.traceId,
        errors: representative.members.slice(0, MAX_TRACE_ERRORS).map((index) => ({
          timestamp: sorted[index]!.timestamp,
          app: sorted[index]!.app,
          patternId: patternOf(index).id,
          message: sorted[index]!.message.split("\n")[0] ?? "",
        })),
      }
    : null;
  const app = representative ? sorted[representative.members[0]!]!.app : (rankApps(sorted)[0] ?? null);

  return {
    documents: sorted.length,
    untraced,
    traces: traces.size,
    patterns,
    rootCauses,
    rootCause,
    representativeTrace,
    affectedServices,
    app,
    errorType: rootCause?.errorType ?? null,
    headlineSamples: new Map([...messagesOf].map(([patternId, messages]) => [patternId, pickSample(messages, MAX_SAMPLED_HEADLINES).map(headlineOf)])),
  };
}

export type PatternChange = {
  patternId: string;
  template: string;
  /** Expected count of this pattern in one window of the usual period. */
  usualPerWindow: number;
  /** Count in the peak window. */
  during: number;
  /** during ÷ usual; null for a pattern never seen in the usual period. */
  growth: number | null;
  isNew: boolean;
};

/**
 * What changed: each pattern of the peak window against its usual rate per window in the
 * baseline period. A pattern is new when the usual period never showed it, grown when it
 * reached `minGrowth` × its usual rate; the rest are usual. New patterns come first, then by
 * growth, then by count.
 */
export function comparePatterns(
  during: readonly Pick<PatternCount, "patternId" | "template" | "count">[],
  usual: ReadonlyMap<string, number>,
  usualWindows: number,
  minGrowth = 2,
): { changed: PatternChange[]; usual: PatternChange[] } {
  const changes = during.map((pattern): PatternChange => {
    const usualTotal = usual.get(pattern.patternId) ?? 0;
    const usualPerWindow = usualWindows > 0 ? usualTotal / usualWindows : 0;
    return {
      patternId: pattern.patternId,
      template: pattern.template,
      usualPerWindow,
      during: pattern.count,
      growth: usualTotal > 0 ? pattern.count / usualPerWindow : null,
      isNew: usualTotal === 0,
    };
  });
  const isChanged = (change: PatternChange) => change.isNew || (change.growth !== null && change.growth >= minGrowth);
  const order = (left: PatternChange, right: PatternChange) =>
    Number(right.isNew) - Number(left.isNew) ||
    (right.growth ?? Infinity) - (left.growth ?? Infinity) ||
    right.during - left.during ||
    left.patternId.localeCompare(right.patternId);
  return { changed: changes.filter(isChanged).sort(order), usual: changes.filter((change) => !isChanged(change)).sort(order) };
}

/** A known issue (active) or a known peak (resolved), as far as matching is concerned. */
export type IssueMatcher = {
  id: number;
  patternIds: readonly string[];
  regexes: readonly string[];
  namespace: string | null;
  appName: string | null;
};

/** The root-cause facts a peak is matched by. */
/** A root cause other than the leading one explains a window when at least this share of its traces began with it. */
export const MIN_ROOT_CAUSE_SHARE = 0.1;

/**
 * The root causes that explain a window: the leading one (they come sorted by traces), and every
 * other that began at least MIN_ROOT_CAUSE_SHARE of its traces. Background errors that began a
 * trace or two during the spike are left out: they are in every window, so a known issue made
 * from them, or matched by them, would label unrelated incidents. An entry without a share
 * (stored before shares were) is kept.
 */
export function explainingRootCauses<Cause extends { share?: number }>(rootCauses: readonly Cause[]): Cause[] {
  return rootCauses.filter((cause, index) => index === 0 || cause.share === undefined || cause.share >= MIN_ROOT_CAUSE_SHARE);
}

export type MatchSubject = { namespace: string; app: string | null; patterns: readonly { patternId: string; example: string; template: string }[] };

/**
 * Whether an issue matches a peak: in scope (its namespace and app, when set, are the peak's)
 * and one of its pattern ids is among the peak's root-cause patterns, or one of its regular
 * expressions matches a root-cause example or template. Regexes run on the linear-time engine
 * of user-regex.ts; one it refuses (saved before it was refused) matches nothing.
 */
export function issueMatches(issue: IssueMatcher, subject: MatchSubject): boolean {
  if (issue.namespace !== null && issue.namespace !== subject.namespace) return false;
  if (issue.appName !== null && issue.appName !== subject.app) return false;
  if (subject.patterns.some((pattern) => issue.patternIds.includes(pattern.patternId))) return true;
  const regexes = issue.regexes.map(compileUserRegex).flatMap((compilation) => (compilation.ok ? [compilation.regex] : []));
  return subject.patterns.some((pattern) => regexes.some((regex) => regex.test(pattern.example) || regex.test(pattern.template)));
}

/**
 * The first matching issue, most specific first (scoped to namespace and app, then namespace,
 * then global; then by pattern-id match over regex; then the oldest id).
 */
export function findMatchingIssue<T extends IssueMatcher>(issues: readonly T[], subject: MatchSubject): T | null {
  const specificity = (issue: T) =>
    (issue.namespace !== null ? 2 : 0) +
    (issue.appName !== null ? 1 : 0) +
    (subject.patterns.some((pattern) => issue.patternIds.includes(pattern.patternId)) ? 0.5 : 0);
  const matching = issues.filter((issue) => issueMatches(issue, subject));
  matching.sort((left, right) => specificity(right) - specificity(left) || left.id - right.id);
  return matching[0] ?? null;
}
