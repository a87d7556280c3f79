/**
 * Optional AI analysis of peaks through an OpenAI-compatible chat completions endpoint: a
 * peak's facts go out, a short summary and next steps come back and are stored on the peak.
 * Only the facts below are sent (counts, patterns, messages of the representative trace, the
 * known issue), never the raw documents. An endpoint that fails or times out is recorded on the
 * peak; it never fails the run.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { loadPeaksForAnalysis, saveAnalysis, saveAnalysisFailure, type PeakForAnalysis } from "@/lib/db/ai";
import { AppError } from "@/lib/errors";
import { createWindowGrid, describeRange, type WindowGrid } from "@/lib/pipeline/time";
import type { AiSettings } from "./settings";

// Bounds that keep a prompt at a few kilobytes whatever the peak holds.
const MAX_PATTERNS = 10;
/** New or grown patterns too rare to be among the top ones, listed after them. */
const MAX_EXTRA_CHANGED_PATTERNS = 3;
const MAX_ROOT_CAUSES = 3;
const MAX_TRACE_ERRORS = 10;
const MAX_SERVICES = 10;
const MAX_MESSAGE_CHARS = 300;
const MAX_ROOT_CAUSE_CHARS = 800;
const MAX_DESCRIPTION_CHARS = 500;
const MAX_SOLUTION_CHARS = 800;
const MAX_ERROR_BODY_CHARS = 200;
const TEMPERATURE = 0.2;

export type PatternFact = {
  template: string;
  count: number;
  errorType: string | null;
  /** Never seen in the usual period before the peak. */
  isNew: boolean;
  /** At least the configured growth over its usual rate. */
  hasGrown: boolean;
  /** Count ÷ usual count per window; null when new or not compared. */
  growth: number | null;
};

/** What the model is told about one peak; every text is one line and bounded. */
export type PeakFacts = {
  namespace: string;
  window: { startUtc: string; endUtc: string; local: string; timeZone: string };
  errorCount: number;
  /** Usual count of this namespace in this slot of the week. */
  baselineMean: number;
  /** errorCount ÷ baselineMean; null when the slot usually has no errors. */
  ratio: number | null;
  severity: string;
  errorType: string | null;
  rootCause: string | null;
  app: string | null;
  affectedServices: string[];
  /** Documents investigated of all error documents of the window; null when not enriched. */
  sample: { documents: number; total: number; traces: number; untraced: number } | null;
  patterns: PatternFact[];
  rootCauses: { template: string; traces: number; sharePercent: number }[];
  representativeTrace: { traceId: string; errors: { offsetMs: number; app: string | null; message: string }[]; omittedErrors: number } | null;
  knownIssue: { id: number; title: string; description: string | null } | null;
  regression: { id: number; title: string; description: string | null; solution: string } | null;
};

// The parts of StoredInvestigation (lib/jobs/enrich.ts) the facts use. Each part falls back on
// its own, so an older or damaged top_patterns value still gives the rest.
const storedInvestigationSchema = z.object({
  documents: z.number().nullable().catch(null),
  total: z.number().nullable().catch(null),
  traces: z.number().nullable().catch(null),
  untraced: z.number().nullable().catch(null),
  patterns: z.array(z.object({ patternId: z.string(), template: z.string(), count: z.number(), errorType: z.string().nullable().optional() })).catch([]),
  rootCauses: z.array(z.object({ template: z.string(), traces: z.number(), share: z.number() })).catch([]),
  representativeTrace: z
    .object({ traceId: z.string(), errors: z.array(z.object({ timestamp: z.number(), app: z.string().nullable(), message: z.string() })) })
    .nullable()
    .catch(null),
  changed: z.array(z.object({ patternId: z.string(), template: z.string(), during: z.number(), growth: z.number().nullable(), isNew: z.boolean() })).catch([]),
});

/** Whitespace collapsed to single spaces, cut to at most `maxChars` characters with an ellipsis. */
export function truncateText(text: string, maxChars: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= maxChars ? line : `${line.slice(0, maxChars - 1).trimEnd()}…`;
}

function truncateOrNull(text: string | null, maxChars: number): string | null {
  return text === null ? null : truncateText(text, maxChars);
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** The compact facts of a peak row (with its known issue and known peak) for the prompt. */
export function peakFactsOf(peak: PeakForAnalysis, grid: WindowGrid): PeakFacts {
  const startMs = peak.timestamp.getTime();
  const parsed = peak.topPatterns === null ? null : storedInvestigationSchema.safeParse(peak.topPatterns);
  const stored = parsed?.success ? parsed.data : null;
  const changeById = new Map((stored?.changed ?? []).map((change) => [change.patternId, change]));

  const topPatterns = (stored?.patterns ?? []).slice(0, MAX_PATTERNS);
  const listed = new Set(topPatterns.map((pattern) => pattern.patternId));
  const rareChanged = (stored?.changed ?? []).filter((change) => !listed.has(change.patternId)).slice(0, MAX_EXTRA_CHANGED_PATTERNS);
  const patterns: PatternFact[] = [
    ...topPatterns.map((pattern) => ({ patternId: pattern.patternId, template: pattern.template, count: pattern.count, errorType: pattern.errorType ?? null })),
    ...rareChanged.map((change) => ({ patternId: change.patternId, template: change.template, count: change.during, errorType: null })),
  ].map((pattern) => {
    const change = changeById.get(pattern.patternId);
    return {
      template: truncateText(pattern.template, MAX_MESSAGE_CHARS),
      count: pattern.count,
      errorType: pattern.errorType,
      isNew: change?.isNew ?? false,
      hasGrown: change !== undefined && !change.isNew,
      growth: change?.growth === null || change?.growth === undefined ? null : roundTo(change.growth, 1),
    };
  });

  const trace = stored?.representativeTrace ?? null;
  const firstErrorMs = trace?.errors[0]?.timestamp ?? 0;
  return {
    namespace: peak.namespace,
    window: {
      startUtc: peak.timestamp.toISOString(),
      endUtc: new Date(startMs + grid.windowMs).toISOString(),
      local: describeRange({ fromMs: startMs, toMs: startMs + grid.windowMs }, grid),
      timeZone: grid.timeZone,
    },
    errorCount: peak.errorCount,
    baselineMean: roundTo(peak.baselineMean, 1),
    ratio: peak.baselineMean > 0 ? roundTo(peak.ratio, 1) : null,
    severity: peak.severity,
    errorType: peak.errorType,
    rootCause: truncateOrNull(peak.rootCause, MAX_ROOT_CAUSE_CHARS),
    app: peak.appName,
    affectedServices: peak.affectedServices.slice(0, MAX_SERVICES),
    sample:
      stored && stored.documents !== null && stored.total !== null
        ? { documents: stored.documents, total: stored.total, traces: stored.traces ?? 0, untraced: stored.untraced ?? 0 }
        : null,
    patterns,
    rootCauses: (stored?.rootCauses ?? []).slice(0, MAX_ROOT_CAUSES).map((cause) => ({
      template: truncateText(cause.template, MAX_MESSAGE_CHARS),
      traces: cause.traces,
      sharePercent: Math.round(cause.share * 100),
    })),
    representativeTrace: trace
      ? {
          traceId: trace.traceId,
          errors: trace.errors
            .slice(0, MAX_TRACE_ERRORS)
            .map((error) => ({ offsetMs: error.timestamp - firstErrorMs, app: error.app, message: truncateText(error.message, MAX_MESSAGE_CHARS) })),
          omittedErrors: Math.max(0, trace.errors.length - MAX_TRACE_ERRORS),
        }
      : null,
    knownIssue: peak.knownIssue
      ? {
          id: peak.knownIssue.id,
          title: truncateText(peak.knownIssue.title, MAX_MESSAGE_CHARS),
          description: truncateOrNull(peak.knownIssue.description, MAX_DESCRIPTION_CHARS),
        }
      : null,
    regression: peak.knownPeak
      ? {
          id: peak.knownPeak.id,
          title: truncateText(peak.knownPeak.title, MAX_MESSAGE_CHARS),
          description: truncateOrNull(peak.knownPeak.description, MAX_DESCRIPTION_CHARS),
          solution: truncateText(peak.knownPeak.solution, MAX_SOLUTION_CHARS),
        }
      : null,
  };
}

function describePattern(pattern: PatternFact): string {
  const change = pattern.isNew
    ? "NEW, not seen in the usual period"
    : pattern.hasGrown
      ? `GROWN ${pattern.growth === null ? "" : `${pattern.growth}× `}over its usual rate`
      : "usual";
  return `${pattern.count}× [${change}]${pattern.errorType ? ` (${pattern.errorType})` : ""} ${pattern.template}`;
}

/** The facts as the plain-text lines of the user message. */
function renderFacts(facts: PeakFacts): string {
  const lines = [
    `Namespace: ${facts.namespace}`,
    `Window: ${facts.window.startUtc} to ${facts.window.endUtc} (UTC), ${facts.window.local} local time`,
    `Errors: ${facts.errorCount} in the window; usual for this time of the week: ${facts.baselineMean}; ` +
      (facts.ratio === null ? "this time of the week usually has no errors" : `ratio ${facts.ratio}× the usual`),
    `Severity: ${facts.severity}`,
    `Error type: ${facts.errorType ?? "unknown"}`,
    `App of the root cause: ${facts.app ?? "unknown"}`,
    `Affected services: ${facts.affectedServices.length > 0 ? facts.affectedServices.join(", ") : "unknown"}`,
    `Root cause (the earliest error of most traces): ${facts.rootCause ?? "not investigated"}`,
  ];
  if (facts.sample) {
    lines.push(
      `Investigated: ${facts.sample.documents} of ${facts.sample.total} error messages; ${facts.sample.traces} traces, ${facts.sample.untraced} messages without a trace`,
    );
  }
  if (facts.rootCauses.length > 0) {
    lines.push("", "Root causes by trace (share of traces):");
    for (const cause of facts.rootCauses) lines.push(`- ${cause.sharePercent}% (${cause.traces} traces): ${cause.template}`);
  }
  if (facts.patterns.length > 0) {
    lines.push("", "Error patterns in the window (variable parts masked as <*>), most frequent first:");
    for (const pattern of facts.patterns) lines.push(`- ${describePattern(pattern)}`);
  }
  if (facts.representativeTrace) {
    lines.push("", `Representative trace ${facts.representativeTrace.traceId}, errors in order (time after the first, app, message):`);
    for (const [index, error] of facts.representativeTrace.errors.entries()) {
      lines.push(`${index + 1}. +${(error.offsetMs / 1000).toFixed(3)} s ${error.app ?? "unknown app"}: ${error.message}`);
    }
    if (facts.representativeTrace.omittedErrors > 0) lines.push(`(${facts.representativeTrace.omittedErrors} later errors left out)`);
  }
  lines.push("");
  if (facts.regression) {
    lines.push(`This is a REGRESSION of the resolved incident #${facts.regression.id} "${facts.regression.title}".`);
    if (facts.regression.description) lines.push(`Its description: ${facts.regression.description}`);
    lines.push(`Its earlier solution: ${facts.regression.solution}`);
  }
  if (facts.knownIssue) {
    lines.push(`It matches the active known issue #${facts.knownIssue.id} "${facts.knownIssue.title}".`);
    if (facts.knownIssue.description) lines.push(`Its description: ${facts.knownIssue.description}`);
  }
  if (!facts.regression && !facts.knownIssue) lines.push("It matches no known issue and no resolved incident.");
  return lines.join("\n");
}

export type ChatMessage = { role: "system" | "user"; content: string };

const SYSTEM_PROMPT = [
  "You help on-call engineers understand error peaks in application logs.",
  "You get the facts of one peak: its error count against the usual count for that time of the week, the error patterns with what is new or grown, the root cause found by following traces back to their earliest error, one representative trace, and whether it matches a known issue or a resolved incident.",
  "Use only these facts and say so when they are not enough; do not invent services, hosts or causes.",
  'Answer with one JSON object and nothing else: {"summary": string, "next_steps": string[]}.',
  "summary: two to four sentences: what fails, where, how much more than usual, and the likely cause.",
  "next_steps: two to five concrete checks or actions, most useful first. For a regression, the first step is the earlier solution.",
].join("\n");

/** The system and user messages asking for `{"summary": string, "next_steps": string[]}`. */
export function analysisMessages(facts: PeakFacts): ChatMessage[] {
  return [
    { role: "system", content: SYSTEM_PROMPT },
    { role: "user", content: `Facts of the error peak:\n${renderFacts(facts)}` },
  ];
}

export type Analysis = { summary: string; nextSteps: string[] };

const analysisAnswerSchema = z.object({
  summary: z.string().trim().min(1),
  next_steps: z.unknown().optional(),
  nextSteps: z.unknown().optional(),
});

function stepsOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  return items
    .filter((item): item is string => typeof item === "string")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads a model's answer leniently: reasoning blocks (<think>) and ``` fences are dropped, a JSON
 * object is looked for in the text, a cut-off JSON answer still gives its summary, and any other
 * text is the summary itself with no next steps. The text must not be blank.
 */
export function parseAnalysis(content: string): Analysis {
  const withoutReasoning = content.replace(/<think>[\s\S]*?(<\/think>|$)/gi, "").trim();
  // Content of the first fenced block, or everything after an opening fence the answer was cut in.
  const fenced = /```[\w-]*[^\S\n]*\n?([\s\S]*?)(?:```|$)/.exec(withoutReasoning);
  const text = (fenced ? fenced[1]! : withoutReasoning).trim();
  const firstBrace = text.indexOf("{");
  const lastBrace = text.lastIndexOf("}");
  const candidates = [text, ...(firstBrace >= 0 && lastBrace > firstBrace ? [text.slice(firstBrace, lastBrace + 1)] : [])];
  for (const candidate of candidates) {
    const answer = analysisAnswerSchema.safeParse(parseJson(candidate));
    if (answer.success) return { summary: answer.data.summary, nextSteps: stepsOf(answer.data.next_steps ?? answer.data.nextSteps) };
  }
  // An answer cut off by max_tokens: its summary is complete if the cut came after it.
  const cutSummary = /^\s*\{\s*"summary"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text);
  const summary = cutSummary ? parseJson(cutSummary[1]!) : undefined;
  if (typeof summary === "string" && summary.trim() !== "") return { summary: summary.trim(), nextSteps: [] };
  return { summary: text, nextSteps: [] };
}

export type AiFailureKind = "timeout" | "unreachable" | "http" | "unreadable" | "no_choices" | "empty_content";

/** An analysis the endpoint did not give; the message is short and holds no secret. */
export class AiAnalysisError extends AppError {
  readonly kind: AiFailureKind;

  constructor(kind: AiFailureKind, message: string) {
    super("unavailable", message);
    this.kind = kind;
  }
}

const chatCompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.union([z.string(), z.array(z.object({ text: z.string().optional() })), z.null()]).optional() }).optional(),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .optional(),
  error: z.object({ message: z.string().optional() }).optional(),
});

/** `${baseUrl}/chat/completions`, whether or not baseUrl ends with a slash or already names the endpoint. */
export function chatCompletionsUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  return base.endsWith("/chat/completions") ? base : `${base}/chat/completions`;
}

function excerptOf(text: string, apiKey: string | undefined): string {
  const redacted = apiKey ? text.split(apiKey).join("[redacted]") : text;
  return truncateText(redacted, MAX_ERROR_BODY_CHARS);
}

/** An error body's own message when it is OpenAI-shaped ({"error": {"message"}}), else the body. */
function errorBodyExcerpt(body: string, apiKey: string | undefined): string {
  const parsed = chatCompletionSchema.safeParse(parseJson(body));
  const message = parsed.success ? parsed.data.error?.message : undefined;
  return excerptOf(message ?? body, apiKey);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
}

/**
 * Asks the endpoint for an analysis of one peak. Throws AiAnalysisError on a timeout (the
 * whole exchange, in settings.timeoutMs), an unreachable endpoint, an HTTP error, or an answer
 * without content.
 */
export async function requestAnalysis(settings: AiSettings, facts: PeakFacts): Promise<Analysis> {
  const fetchChat = settings.fetch ?? fetch;
  const url = chatCompletionsUrl(settings.baseUrl);
  let status: number;
  let body: string;
  try {
    const response = await fetchChat(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: settings.model, messages: analysisMessages(facts), max_tokens: settings.maxOutputTokens, temperature: TEMPERATURE }),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    status = response.status;
    body = await response.text();
    if (!response.ok)
      throw new AiAnalysisError(
        "http",
        `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""}: ${errorBodyExcerpt(body, settings.apiKey) || "(empty body)"}`,
      );
  } catch (error) {
    if (error instanceof AiAnalysisError) throw error;
    if (isTimeout(error)) throw new AiAnalysisError("timeout", `timed out after ${settings.timeoutMs} ms`);
    // fetch reports network failures as TypeError("fetch failed") with the system error as cause.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const reason = cause instanceof Error ? ("code" in cause && typeof cause.code === "string" ? cause.code : cause.message) : String(cause);
    throw new AiAnalysisError("unreachable", `cannot reach ${new URL(url).host}: ${excerptOf(reason, settings.apiKey)}`);
  }

  const answer = chatCompletionSchema.safeParse(parseJson(body));
  if (!answer.success)
    throw new AiAnalysisError("unreadable", `HTTP ${status} but the answer is not a chat completion: ${excerptOf(body, settings.apiKey) || "(empty body)"}`);
  const choice = answer.data.choices?.[0];
  if (!choice) {
    const reason = answer.data.error?.message;
    throw new AiAnalysisError("no_choices", `the answer has no choices${reason ? `: ${excerptOf(reason, settings.apiKey)}` : ""}`);
  }
  const content = choice.message?.content;
  const text = Array.isArray(content) ? content.map((part) => part.text ?? "").join("") : (content ?? "");
  if (text.trim() === "") {
    const hint =
      choice.finish_reason === "length"
        ? " (finish_reason length: the model used up ai.max_output_tokens)"
        : choice.finish_reason
          ? ` (finish_reason ${choice.finish_reason})`
          : "";
    throw new AiAnalysisError("empty_content", `the answer has empty content${hint}`);
  }
  return parseAnalysis(text);
}

export type PeakAnalysisResult = { peakId: number; status: "analyzed" | "failed"; error: string | null };

export type AnalyzeReport = { analyzed: number; failed: number; results: PeakAnalysisResult[] };

/**
 * Analyses the given peaks one at a time (oldest first; ids without a peak are skipped) and
 * stores each summary, or why it failed, on the peak; a failure keeps an earlier summary.
 * Endpoint failures are recorded, never thrown; a database failure is thrown.
 */
export async function analyzePeaks(db: Db, settings: AiSettings, peakIds: readonly number[], options: { now?: () => Date } = {}): Promise<AnalyzeReport> {
  const now = options.now ?? (() => new Date());
  const peaks = await loadPeaksForAnalysis(db.prisma, peakIds);
  const grid = createWindowGrid(settings.timeZone, settings.windowMinutes);
  const results: PeakAnalysisResult[] = [];
  for (const peak of peaks) {
    let outcome: { analysis: Analysis } | { error: string };
    try {
      outcome = { analysis: await requestAnalysis(settings, peakFactsOf(peak, grid)) };
    } catch (error) {
      // Anything but AiAnalysisError is a fault of ours; still the peak's, not the run's.
      outcome = {
        error:
          error instanceof AiAnalysisError
            ? error.message
            : `unexpected error: ${excerptOf(error instanceof Error ? error.message : String(error), settings.apiKey)}`,
      };
    }
    if ("analysis" in outcome) {
      await saveAnalysis(db.prisma, peak.id, { ...outcome.analysis, model: settings.model, analyzedAt: now() });
      results.push({ peakId: peak.id, status: "analyzed", error: null });
    } else {
      await saveAnalysisFailure(db.prisma, peak.id, { error: outcome.error, analyzedAt: now() });
      results.push({ peakId: peak.id, status: "failed", error: outcome.error });
    }
  }
  return {
    analyzed: results.filter((result) => result.status === "analyzed").length,
    failed: results.filter((result) => result.status === "failed").length,
    results,
  };
}
