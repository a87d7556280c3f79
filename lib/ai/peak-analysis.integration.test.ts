import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/client";
import type { StoredInvestigation } from "@/lib/peaks/contract";
import { chatCompletion, startHttpStub, type HttpStub, type StubAnswer, type StubRequest } from "@/test/support/http-stub";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { analyzePeaks } from "./peak-analysis";
import type { AiSettings } from "./settings";

// AI analysis end to end: peaks stored through Prisma, analysed against a local server that
// answers like OpenAI's chat completions, results read back from the database.

const API_KEY = "sk-test-0123456789";
const MODEL = "gpt-4o-mini";
const NOW = new Date("2026-01-29T10:00:00Z");
const LATER = new Date("2026-01-29T11:00:00Z");

const chatRequestSchema = z.object({
  model: z.string(),
  messages: z.array(z.object({ role: z.string(), content: z.string() })),
  max_tokens: z.number(),
  temperature: z.number(),
});

/** A 200 whose chat completion says `content`, with the dated model name OpenAI answers with. */
function completion(content: string): StubAnswer {
  return { status: 200, json: chatCompletion(content, "gpt-4o-mini-2024-07-18") };
}

/** The local OpenAI-compatible endpoint: each test sets how it replies and reads what it received. */
let fake: HttpStub;

beforeAll(async () => {
  fake = await startHttpStub();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.answerWith([{ status: 500, text: "no reply set" }]);
});

function settings(overrides: Partial<AiSettings> = {}): AiSettings {
  return {
    baseUrl: `${fake.url}/v1`,
    apiKey: API_KEY,
    model: MODEL,
    timeoutMs: 5_000,
    maxOutputTokens: 600,
    timeZone: "Europe/Prague",
    windowMinutes: 15,
    ...overrides,
  };
}

/** The request's body as a chat completion request; throws when it is not one. */
function chatRequest(request: StubRequest) {
  return chatRequestSchema.parse(request.body);
}

function userPrompt(request: StubRequest): string {
  return chatRequest(request).messages.find((message) => message.role === "user")?.content ?? "";
}

const POOL = "HikariPool-1 - Connection is not available, request timed out after <*>ms";
const GATEWAY = "Upstream ledger returned 503 for POST /payments/<*>";

function investigation(start: number): StoredInvestigation {
  const pattern = (patternId: string, template: string, count: number, errorType: string) => {
    const example = template.replaceAll("<*>", "30000");
    return { patternId, template, count, errorType, example, examples: [example], firstSeen: start + 1_000, lastSeen: start + 890_000 };
  };
  return {
    version: 1,
    documents: 1150,
    total: 1150,
    untraced: 4,
    traces: 310,
    patterns: [pattern("a1b2c3", POOL, 820, "timeout"), pattern("d4e5f6", GATEWAY, 330, "http_5xx")],
    rootCauses: [{ ...pattern("a1b2c3", POOL, 820, "timeout"), traces: 300, share: 300 / 310 }],
    representativeTrace: {
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      errors: [
        {
          timestamp: start + 61_000,
          app: "ledger",
          patternId: "a1b2c3",
          message: "HikariPool-1 - Connection is not available, request timed out after 30000ms",
        },
        { timestamp: start + 61_250, app: "payments-api", patternId: "d4e5f6", message: "Upstream ledger returned 503 for POST /payments/8812" },
      ],
    },
    changed: [
      { patternId: "a1b2c3", template: POOL, usualPerWindow: 0, during: 820, growth: null, isNew: true },
      { patternId: "d4e5f6", template: GATEWAY, usualPerWindow: 30, during: 330, growth: 11, isNew: false },
    ],
    usual: [],
    usualPeriod: { fromMs: start - 86_400_000, toMs: start, windows: 96, sampled: 4_800, total: 5_100 },
    firstSeenPatterns: [],
  };
}

let nextWindow = 0;

/** A detected and enriched peak in its own window. */
async function createPeak(prisma: PrismaClient, namespace: string, links: { knownIssueId?: number; knownPeakId?: number } = {}): Promise<number> {
  const start = Date.parse("2026-01-29T09:00:00Z") + nextWindow * 900_000;
  nextWindow += 1;
  const peak = await prisma.peakInvestigation.create({
    data: {
      timestamp: new Date(start),
      namespace,
      dayOfWeek: 3,
      hourOfDay: 10,
      quarterHour: nextWindow % 4,
      severity: "critical",
      errorCount: 1150,
      baselineMean: 38.5,
      baselineStddev: 6.2,
      baselineSamples: 8,
      ratio: 1150 / 38.5,
      requiredRatio: 3,
      average24h: 41,
      referenceCounts: [36, 40, 39],
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      appName: "ledger",
      errorType: "timeout",
      affectedServices: ["ledger", "payments-api"],
      rootCause: "HikariPool-1 - Connection is not available, request timed out after 30000ms",
      topPatterns: JSON.parse(JSON.stringify(investigation(start))) as Record<string, never>,
      enrichedAt: new Date(start + 960_000),
      ...(links.knownIssueId !== undefined ? { knownIssueId: links.knownIssueId } : {}),
      ...(links.knownPeakId !== undefined ? { knownPeakId: links.knownPeakId } : {}),
    },
  });
  return peak.id;
}

const ANSWER = {
  summary: "The ledger's connection pool is exhausted; payments-api fails with 503 as a result.",
  next_steps: ["Check ledger's pool metrics", "Raise maximumPoolSize", "Look for slow ledger queries"],
};

describe.each(databaseKinds)("AI analysis on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);

  async function aiColumns(peakId: number) {
    return db().prisma.peakInvestigation.findUniqueOrThrow({
      where: { id: peakId },
      select: { aiSummary: true, aiNextSteps: true, aiModel: true, aiError: true, aiAnalyzedAt: true },
    });
  }

  it("sends the peak's facts to /chat/completions and stores the JSON answer", async () => {
    const issue = await db().prisma.knownIssue.create({
      data: { title: "Ledger pool exhausted", description: "Pool too small for month-end batch load", patternIds: ["a1b2c3"], regexes: [] },
    });
    const peakId = await createPeak(db().prisma, "payments", { knownIssueId: issue.id });
    fake.answerWith([completion(JSON.stringify(ANSWER))]);

    const report = await analyzePeaks(db(), settings({ baseUrl: `${fake.url}/v1/` }), [peakId], { now: () => NOW });

    expect(report).toEqual({ analyzed: 1, failed: 0, results: [{ peakId, status: "analyzed", error: null }] });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe("/v1/chat/completions");
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const body = chatRequest(request!);
    expect(body.model).toBe(MODEL);
    expect(body.max_tokens).toBe(600);
    expect(body.temperature).toBe(0.2);
    expect(request!.body).not.toHaveProperty("response_format");
    const prompt = userPrompt(request!);
    expect(prompt).toContain("Namespace: payments");
    expect(prompt).toContain("Errors: 1150 in the window; usual for this time of the week: 38.5; ratio 29.9× the usual");
    expect(prompt).toContain("Root cause (the earliest error of most traces): HikariPool-1 - Connection is not available, request timed out after 30000ms");
    expect(prompt).toContain(`820× [NEW, not seen in the usual period] (timeout) ${POOL}`);
    expect(prompt).toContain(`330× [GROWN 11× over its usual rate] (http_5xx) ${GATEWAY}`);
    expect(prompt).toContain("Representative trace 4bf92f3577b34da6a3ce929d0e0e4736");
    expect(prompt).toContain("2. +0.250 s payments-api: Upstream ledger returned 503 for POST /payments/8812");
    expect(prompt).toContain(`It matches the active known issue #${issue.id} "Ledger pool exhausted".`);

    expect(await aiColumns(peakId)).toEqual({ aiSummary: ANSWER.summary, aiNextSteps: ANSWER.next_steps, aiModel: MODEL, aiError: null, aiAnalyzedAt: NOW });
  });

  it("tells the model about a regression and its earlier solution, and sends no key when there is none", async () => {
    const resolved = await db().prisma.knownPeak.create({
      data: { title: "Ledger outage in December", solution: "Raise maximumPoolSize to 40 and restart ledger", patternIds: ["a1b2c3"], regexes: [] },
    });
    const peakId = await createPeak(db().prisma, "payments", { knownPeakId: resolved.id });
    fake.answerWith([completion(JSON.stringify(ANSWER))]);
    await analyzePeaks(db(), settings({ apiKey: undefined }), [peakId], { now: () => NOW });

    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
    expect(userPrompt(fake.requests[0]!)).toContain(`This is a REGRESSION of the resolved incident #${resolved.id} "Ledger outage in December".`);
    expect(userPrompt(fake.requests[0]!)).toContain("Its earlier solution: Raise maximumPoolSize to 40 and restart ledger");
    expect((await aiColumns(peakId)).aiSummary).toBe(ANSWER.summary);
  });

  it("reads an answer in ``` fences", async () => {
    const peakId = await createPeak(db().prisma, "payments");
    fake.answerWith([completion(`\`\`\`json\n${JSON.stringify(ANSWER, null, 2)}\n\`\`\``)]);

    await analyzePeaks(db(), settings(), [peakId], { now: () => NOW });

    expect(await aiColumns(peakId)).toEqual({ aiSummary: ANSWER.summary, aiNextSteps: ANSWER.next_steps, aiModel: MODEL, aiError: null, aiAnalyzedAt: NOW });
  });

  it("records a 500 on its peak without throwing and still analyses the other peaks of the batch", async () => {
    const first = await createPeak(db().prisma, "payments");
    const failing = await createPeak(db().prisma, "orders");
    const last = await createPeak(db().prisma, "payments");
    fake.answerWith([
      (request) =>
        userPrompt(request).includes("Namespace: orders")
          ? { status: 500, json: { error: { message: "The server had an error while processing your request", type: "server_error" } } }
          : completion(JSON.stringify(ANSWER)),
    ]);

    const report = await analyzePeaks(db(), settings(), [last, failing, first], { now: () => NOW });

    const error = "HTTP 500 Internal Server Error: The server had an error while processing your request";
    expect(report).toEqual({
      analyzed: 2,
      failed: 1,
      results: [
        { peakId: first, status: "analyzed", error: null },
        { peakId: failing, status: "failed", error },
        { peakId: last, status: "analyzed", error: null },
      ],
    });
    expect(fake.requests).toHaveLength(3);
    expect(await aiColumns(failing)).toEqual({ aiSummary: null, aiNextSteps: [], aiModel: null, aiError: error, aiAnalyzedAt: NOW });
    expect((await aiColumns(first)).aiSummary).toBe(ANSWER.summary);
    expect((await aiColumns(last)).aiSummary).toBe(ANSWER.summary);
  });

  it("records a timeout quickly when the endpoint never answers", async () => {
    const peakId = await createPeak(db().prisma, "payments");
    fake.answerWith(["never"]);

    const started = performance.now();
    const report = await analyzePeaks(db(), settings({ timeoutMs: 300 }), [peakId], { now: () => NOW });
    const elapsedMs = performance.now() - started;

    expect(report.results).toEqual([{ peakId, status: "failed", error: "timed out after 300 ms" }]);
    expect(elapsedMs).toBeLessThan(3_000);
    expect(await aiColumns(peakId)).toMatchObject({ aiError: "timed out after 300 ms", aiAnalyzedAt: NOW, aiSummary: null });
  });

  it("records a timeout when the answer stops in the middle of its body", async () => {
    const peakId = await createPeak(db().prisma, "payments");
    fake.answerWith([{ status: 200, headers: { "content-type": "application/json" }, text: '{"choices": [', hangsInBody: true }]);

    const report = await analyzePeaks(db(), settings({ timeoutMs: 300 }), [peakId], { now: () => NOW });

    expect(report.results).toEqual([{ peakId, status: "failed", error: "timed out after 300 ms" }]);
  });

  it("records a 401 with its status and never the API key", async () => {
    const peakId = await createPeak(db().prisma, "payments");
    fake.answerWith([
      (request) => ({
        status: 401,
        json: {
          error: {
            message: `Incorrect API key provided: ${request.headers.authorization?.replace("Bearer ", "")}`,
            type: "invalid_request_error",
            code: "invalid_api_key",
          },
        },
      }),
    ]);

    const report = await analyzePeaks(db(), settings(), [peakId], { now: () => NOW });

    const { aiError } = await aiColumns(peakId);
    expect(aiError).toBe("HTTP 401 Unauthorized: Incorrect API key provided: [redacted]");
    expect(report.results[0]!.error).toBe(aiError);
    expect(aiError).not.toContain(API_KEY);
  });

  it("keeps the earlier summary when a later analysis fails", async () => {
    const peakId = await createPeak(db().prisma, "payments");
    fake.answerWith([completion(JSON.stringify(ANSWER))]);
    await analyzePeaks(db(), settings(), [peakId], { now: () => NOW });

    fake.answerWith([{ status: 503, text: "upstream overloaded" }]);
    const report = await analyzePeaks(db(), settings({ model: "gpt-4.1" }), [peakId], { now: () => LATER });

    expect(report.failed).toBe(1);
    expect(await aiColumns(peakId)).toEqual({
      aiSummary: ANSWER.summary,
      aiNextSteps: ANSWER.next_steps,
      aiModel: MODEL,
      aiError: "HTTP 503 Service Unavailable: upstream overloaded",
      aiAnalyzedAt: LATER,
    });

    fake.answerWith([completion("Pool exhausted again.")]);
    await analyzePeaks(db(), settings({ model: "gpt-4.1" }), [peakId], { now: () => LATER });
    expect(await aiColumns(peakId)).toEqual({ aiSummary: "Pool exhausted again.", aiNextSteps: [], aiModel: "gpt-4.1", aiError: null, aiAnalyzedAt: LATER });
  });

  it("skips ids without a peak and asks nothing for an empty batch", async () => {
    fake.answerWith([completion(JSON.stringify(ANSWER))]);
    expect(await analyzePeaks(db(), settings(), [], { now: () => NOW })).toEqual({ analyzed: 0, failed: 0, results: [] });
    expect(await analyzePeaks(db(), settings(), [987_654], { now: () => NOW })).toEqual({ analyzed: 0, failed: 0, results: [] });
    expect(fake.requests).toHaveLength(0);
  });
});
