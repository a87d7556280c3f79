import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { PeakForAnalysis } from "@/lib/db/ai";
import type { StoredInvestigation } from "@/lib/peaks/contract";
import { createWindowGrid } from "@/lib/pipeline/time";
import {
  AiAnalysisError,
  analysisMessages,
  chatCompletionsUrl,
  parseAnalysis,
  peakFactsOf,
  requestAnalysis,
  truncateText,
  type PeakFacts,
} from "./peak-analysis";
import { aiSettingsOf, type AiSettings } from "./settings";

// 10:00 in Prague (UTC+1 in winter).
const T0 = Date.parse("2026-01-29T09:00:00Z");
const grid = createWindowGrid("Europe/Prague", 15);

const POOL = "HikariPool-1 - Connection is not available, request timed out after <*>ms";
const GATEWAY = "Upstream ledger returned 503 for POST /payments/<*>";
const RETRY = "Retrying payment <*> (attempt <*>)";

function patternCount(patternId: string, template: string, count: number, errorType: string) {
  const example = template.replaceAll("<*>", "42");
  return { patternId, template, count, errorType, example, examples: [example], firstSeen: T0 + 1_000, lastSeen: T0 + 800_000 };
}

function storedInvestigation(overrides: Partial<StoredInvestigation> = {}): StoredInvestigation {
  return {
    version: 1,
    documents: 1200,
    total: 1450,
    untraced: 12,
    traces: 300,
    patterns: [
      patternCount("p-pool", POOL, 800, "timeout"),
      patternCount("p-gateway", GATEWAY, 350, "http_5xx"),
      patternCount("p-retry", RETRY, 50, "unknown"),
    ],
    rootCauses: [{ ...patternCount("p-pool", POOL, 800, "timeout"), traces: 270, share: 0.9 }],
    representativeTrace: {
      traceId: "4bf92f3577b34da6",
      errors: [
        { timestamp: T0 + 61_000, app: "ledger", patternId: "p-pool", message: "HikariPool-1 - Connection is not available, request timed out after 30000ms" },
        { timestamp: T0 + 61_250, app: "payments-api", patternId: "p-gateway", message: "Upstream ledger returned 503 for POST /payments/8812" },
        { timestamp: T0 + 61_900, app: "checkout-web", patternId: "p-checkout", message: "Payment failed: 503 Service Unavailable" },
      ],
    },
    changed: [
      { patternId: "p-pool", template: POOL, usualPerWindow: 0, during: 800, growth: null, isNew: true },
      { patternId: "p-gateway", template: GATEWAY, usualPerWindow: 35, during: 350, growth: 10, isNew: false },
    ],
    usual: [{ patternId: "p-retry", template: RETRY, usualPerWindow: 40, during: 50, growth: 1.25, isNew: false }],
    usualPeriod: { fromMs: T0 - 86_400_000, toMs: T0, windows: 96, sampled: 4800, total: 4800 },
    firstSeenPatterns: [],
    ...overrides,
  };
}

function asJson(value: StoredInvestigation): PeakForAnalysis["topPatterns"] {
  return JSON.parse(JSON.stringify(value)) as PeakForAnalysis["topPatterns"];
}

function peakRow(overrides: Partial<PeakForAnalysis> = {}): PeakForAnalysis {
  return {
    id: 7,
    timestamp: new Date(T0),
    namespace: "payments",
    severity: "critical",
    errorCount: 1450,
    baselineMean: 48.25,
    ratio: 30.051,
    traceId: "4bf92f3577b34da6",
    appName: "ledger",
    errorType: "timeout",
    affectedServices: ["ledger", "payments-api", "checkout-web"],
    rootCause: "HikariPool-1 - Connection is not available, request timed out after 30000ms",
    topPatterns: asJson(storedInvestigation()),
    knownIssue: null,
    knownPeak: null,
    ...overrides,
  };
}

function userMessage(facts: PeakFacts): string {
  return analysisMessages(facts).find((message) => message.role === "user")!.content;
}

describe("peakFactsOf", () => {
  it("gives the window in UTC and local time, the counts and the investigation's findings", () => {
    const facts = peakFactsOf(peakRow(), grid);
    expect(facts.window).toEqual({
      startUtc: "2026-01-29T09:00:00.000Z",
      endUtc: "2026-01-29T09:15:00.000Z",
      local: "2026-01-29 10:00–10:15 Europe/Prague",
      timeZone: "Europe/Prague",
    });
    expect(facts).toMatchObject({
      namespace: "payments",
      errorCount: 1450,
      baselineMean: 48.3,
      ratio: 30.1,
      severity: "critical",
      errorType: "timeout",
      app: "ledger",
    });
    expect(facts.rootCause).toBe("HikariPool-1 - Connection is not available, request timed out after 30000ms");
    expect(facts.affectedServices).toEqual(["ledger", "payments-api", "checkout-web"]);
    expect(facts.sample).toEqual({ documents: 1200, total: 1450, traces: 300, untraced: 12 });
    expect(facts.rootCauses).toEqual([{ template: POOL, traces: 270, sharePercent: 90 }]);
  });

  it("flags each pattern as new, grown or usual", () => {
    expect(peakFactsOf(peakRow(), grid).patterns).toEqual([
      { template: POOL, count: 800, errorType: "timeout", isNew: true, hasGrown: false, growth: null },
      { template: GATEWAY, count: 350, errorType: "http_5xx", isNew: false, hasGrown: true, growth: 10 },
      { template: RETRY, count: 50, errorType: "unknown", isNew: false, hasGrown: false, growth: null },
    ]);
  });

  it("keeps the representative trace's errors in order with their apps and time after the first", () => {
    expect(peakFactsOf(peakRow(), grid).representativeTrace).toEqual({
      traceId: "4bf92f3577b34da6",
      errors: [
        { offsetMs: 0, app: "ledger", message: "HikariPool-1 - Connection is not available, request timed out after 30000ms" },
        { offsetMs: 250, app: "payments-api", message: "Upstream ledger returned 503 for POST /payments/8812" },
        { offsetMs: 900, app: "checkout-web", message: "Payment failed: 503 Service Unavailable" },
      ],
      omittedErrors: 0,
    });
  });

  it("has no ratio when the slot usually has no errors (stored as 999)", () => {
    expect(peakFactsOf(peakRow({ baselineMean: 0, ratio: 999 }), grid).ratio).toBeNull();
    expect(userMessage(peakFactsOf(peakRow({ baselineMean: 0, ratio: 999 }), grid))).toContain("usually has no errors");
  });

  it("takes the known issue and the resolved incident with its solution", () => {
    const facts = peakFactsOf(
      peakRow({
        knownIssue: { id: 3, title: "Ledger pool exhausted", description: "Pool too small for month-end load" },
        knownPeak: { id: 4, title: "Ledger outage in December", description: null, solution: "Raise maximumPoolSize to 40 and restart ledger" },
      }),
      grid,
    );
    expect(facts.knownIssue).toEqual({ id: 3, title: "Ledger pool exhausted", description: "Pool too small for month-end load" });
    expect(facts.regression).toEqual({
      id: 4,
      title: "Ledger outage in December",
      description: null,
      solution: "Raise maximumPoolSize to 40 and restart ledger",
    });
  });

  it("still gives the peak's own facts for a peak not enriched yet", () => {
    const facts = peakFactsOf(peakRow({ topPatterns: null, rootCause: null, appName: null, errorType: null, affectedServices: [], traceId: null }), grid);
    expect(facts).toMatchObject({ rootCause: null, patterns: [], rootCauses: [], representativeTrace: null, sample: null, errorCount: 1450 });
    expect(userMessage(facts)).toContain("Root cause (the earliest error of most traces): not investigated");
  });

  it("reads what it can of a damaged top_patterns value", () => {
    const damaged = {
      ...JSON.parse(JSON.stringify(storedInvestigation())),
      patterns: "not a list",
      representativeTrace: { traceId: 5 },
    } as PeakForAnalysis["topPatterns"];
    const facts = peakFactsOf(peakRow({ topPatterns: damaged }), grid);
    expect(facts.patterns.map((pattern) => pattern.template)).toEqual([POOL, GATEWAY]);
    expect(facts.representativeTrace).toBeNull();
    expect(facts.rootCauses).toHaveLength(1);
  });
});

describe("bounds", () => {
  it("truncates text to the limit with an ellipsis and puts it on one line", () => {
    expect(truncateText("short", 10)).toBe("short");
    expect(truncateText("exactly10!", 10)).toBe("exactly10!");
    expect(truncateText("a much longer message", 10)).toBe("a much lo…");
    expect(truncateText("line one\n\tat com.acme.Ledger.book(Ledger.java:42)\n", 100)).toBe("line one at com.acme.Ledger.book(Ledger.java:42)");
  });

  it("cuts long messages, root causes and solutions", () => {
    const long = `NullPointerException: ${"x".repeat(5000)}`;
    const stored = storedInvestigation({
      patterns: [patternCount("p-long", long, 10, "null_pointer")],
      representativeTrace: { traceId: "t", errors: [{ timestamp: T0, app: "ledger", patternId: "p-long", message: long }] },
    });
    const facts = peakFactsOf(
      peakRow({ rootCause: long, topPatterns: asJson(stored), knownPeak: { id: 1, title: "t", description: long, solution: long } }),
      grid,
    );
    expect(facts.rootCause!.length).toBe(800);
    expect(facts.rootCause!.endsWith("…")).toBe(true);
    expect(facts.patterns[0]!.template.length).toBe(300);
    expect(facts.representativeTrace!.errors[0]!.message.length).toBe(300);
    expect(facts.regression!.solution.length).toBe(800);
    expect(facts.regression!.description!.length).toBe(500);
    expect(userMessage(facts).length).toBeLessThan(6000);
  });

  it("lists the top 10 patterns and up to 3 rarer new or grown ones", () => {
    const many = Array.from({ length: 30 }, (_, index) => patternCount(`p-${index}`, `Error number ${index} in <*>`, 1000 - index, "unknown"));
    const changed = [25, 26, 27, 28, 3].map((index) => ({
      patternId: `p-${index}`,
      template: `Error number ${index} in <*>`,
      usualPerWindow: 0,
      during: 1000 - index,
      growth: null,
      isNew: true,
    }));
    const facts = peakFactsOf(peakRow({ topPatterns: asJson(storedInvestigation({ patterns: many, changed })) }), grid);
    expect(facts.patterns.map((pattern) => pattern.count)).toEqual([1000, 999, 998, 997, 996, 995, 994, 993, 992, 991, 975, 974, 973]);
    expect(facts.patterns.filter((pattern) => pattern.isNew).map((pattern) => pattern.template)).toEqual([
      "Error number 3 in <*>",
      "Error number 25 in <*>",
      "Error number 26 in <*>",
      "Error number 27 in <*>",
    ]);
  });

  it("keeps the first 10 errors of a long trace and says how many were left out", () => {
    const errors = Array.from({ length: 50 }, (_, index) => ({ timestamp: T0 + index * 10, app: `app-${index}`, patternId: "p", message: `error ${index}` }));
    const facts = peakFactsOf(peakRow({ topPatterns: asJson(storedInvestigation({ representativeTrace: { traceId: "t", errors } })) }), grid);
    expect(facts.representativeTrace!.errors.map((error) => error.message)).toEqual(Array.from({ length: 10 }, (_, index) => `error ${index}`));
    expect(facts.representativeTrace!.omittedErrors).toBe(40);
    expect(userMessage(facts)).toContain("(40 later errors left out)");
  });

  it("lists at most 10 affected services", () => {
    const services = Array.from({ length: 25 }, (_, index) => `service-${index}`);
    expect(peakFactsOf(peakRow({ affectedServices: services }), grid).affectedServices).toEqual(services.slice(0, 10));
  });
});

describe("analysisMessages", () => {
  it("asks for a JSON object with a summary and next steps", () => {
    const [system, user] = analysisMessages(peakFactsOf(peakRow(), grid));
    expect(system!.role).toBe("system");
    expect(system!.content).toContain('{"summary": string, "next_steps": string[]}');
    expect(user!.role).toBe("user");
  });

  it("holds the root cause, the flagged patterns and the representative trace in order", () => {
    const text = userMessage(peakFactsOf(peakRow(), grid));
    expect(text).toContain("Namespace: payments");
    expect(text).toContain("2026-01-29T09:00:00.000Z to 2026-01-29T09:15:00.000Z (UTC), 2026-01-29 10:00–10:15 Europe/Prague local time");
    expect(text).toContain("Errors: 1450 in the window; usual for this time of the week: 48.3; ratio 30.1× the usual");
    expect(text).toContain("Root cause (the earliest error of most traces): HikariPool-1 - Connection is not available, request timed out after 30000ms");
    expect(text).toContain(`- 800× [NEW, not seen in the usual period] (timeout) ${POOL}`);
    expect(text).toContain(`- 350× [GROWN 10× over its usual rate] (http_5xx) ${GATEWAY}`);
    expect(text).toContain(`- 50× [usual] (unknown) ${RETRY}`);
    expect(text).toContain("Representative trace 4bf92f3577b34da6");
    const ledger = text.indexOf("1. +0.000 s ledger: HikariPool-1");
    const api = text.indexOf("2. +0.250 s payments-api: Upstream ledger returned 503");
    const web = text.indexOf("3. +0.900 s checkout-web: Payment failed");
    expect(ledger).toBeGreaterThan(0);
    expect(api).toBeGreaterThan(ledger);
    expect(web).toBeGreaterThan(api);
    expect(text).toContain("It matches no known issue and no resolved incident.");
  });

  it("names a known issue", () => {
    const text = userMessage(
      peakFactsOf(peakRow({ knownIssue: { id: 3, title: "Ledger pool exhausted", description: "Pool too small for month-end load" } }), grid),
    );
    expect(text).toContain('It matches the active known issue #3 "Ledger pool exhausted".');
    expect(text).toContain("Its description: Pool too small for month-end load");
    expect(text).not.toContain("REGRESSION");
  });

  it("names a regression with its earlier solution", () => {
    const text = userMessage(
      peakFactsOf(
        peakRow({ knownPeak: { id: 4, title: "Ledger outage in December", description: null, solution: "Raise maximumPoolSize to 40 and restart ledger" } }),
        grid,
      ),
    );
    expect(text).toContain('This is a REGRESSION of the resolved incident #4 "Ledger outage in December".');
    expect(text).toContain("Its earlier solution: Raise maximumPoolSize to 40 and restart ledger");
  });
});

describe("parseAnalysis", () => {
  const expected = { summary: "The ledger pool is exhausted.", nextSteps: ["Check pool size", "Restart ledger"] };
  const json = '{"summary": "The ledger pool is exhausted.", "next_steps": ["Check pool size", "Restart ledger"]}';

  it("reads a JSON answer", () => {
    expect(parseAnalysis(json)).toEqual(expected);
  });

  it("reads JSON in ``` fences, with or without a language", () => {
    expect(parseAnalysis(`\`\`\`json\n${json}\n\`\`\``)).toEqual(expected);
    expect(parseAnalysis(`\`\`\`\n${json}\n\`\`\``)).toEqual(expected);
    expect(parseAnalysis(`Here is the analysis:\n\`\`\`json\n${json}\n\`\`\`\nHope it helps.`)).toEqual(expected);
  });

  it("finds a JSON object in surrounding prose", () => {
    expect(parseAnalysis(`Sure! ${json} Let me know.`)).toEqual(expected);
  });

  it("drops a reasoning block before the answer", () => {
    expect(parseAnalysis(`<think>The pool {is} small.</think>\n${json}`)).toEqual(expected);
  });

  it("takes the whole text as the summary when it is not JSON", () => {
    expect(parseAnalysis("  The ledger pool is exhausted; raise its size.  ")).toEqual({
      summary: "The ledger pool is exhausted; raise its size.",
      nextSteps: [],
    });
  });

  it("takes a JSON answer without a summary as text", () => {
    expect(parseAnalysis('{"answer": "pool"}')).toEqual({ summary: '{"answer": "pool"}', nextSteps: [] });
  });

  it("keeps the summary of an answer cut off in its next steps", () => {
    expect(parseAnalysis('```json\n{"summary": "The \\"ledger\\" pool is exhausted.", "next_steps": ["Check po')).toEqual({
      summary: 'The "ledger" pool is exhausted.',
      nextSteps: [],
    });
  });

  it("accepts next steps as one string or in camelCase, and drops items that are not text", () => {
    expect(parseAnalysis('{"summary": "S", "next_steps": "Restart ledger"}')).toEqual({ summary: "S", nextSteps: ["Restart ledger"] });
    expect(parseAnalysis('{"summary": "S", "nextSteps": ["Restart ledger"]}')).toEqual({ summary: "S", nextSteps: ["Restart ledger"] });
    expect(parseAnalysis('{"summary": "S", "next_steps": ["Restart ledger", 3, null, "  ", " Check pool "]}')).toEqual({
      summary: "S",
      nextSteps: ["Restart ledger", "Check pool"],
    });
    expect(parseAnalysis('{"summary": "S"}')).toEqual({ summary: "S", nextSteps: [] });
  });
});

describe("chatCompletionsUrl", () => {
  it("appends /chat/completions with or without a trailing slash, once", () => {
    expect(chatCompletionsUrl("https://api.openai.com/v1")).toBe("https://api.openai.com/v1/chat/completions");
    expect(chatCompletionsUrl("https://api.openai.com/v1/")).toBe("https://api.openai.com/v1/chat/completions");
    expect(chatCompletionsUrl("http://127.0.0.1:11434/v1/chat/completions")).toBe("http://127.0.0.1:11434/v1/chat/completions");
  });
});

describe("requestAnalysis", () => {
  const settings: AiSettings = {
    baseUrl: "https://ai.example.com/v1/",
    apiKey: "sk-secret-123",
    model: "gpt-4o-mini",
    timeoutMs: 1000,
    maxOutputTokens: 500,
    timeZone: "Europe/Prague",
    windowMinutes: 15,
  };
  const facts = peakFactsOf(peakRow(), grid);

  function answering(status: number, body: unknown, requests: { url: string; init: RequestInit }[] = []): typeof fetch {
    return async (input, init) => {
      requests.push({ url: String(input), init: init ?? {} });
      return new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
    };
  }

  async function failureOf(promise: Promise<unknown>): Promise<AiAnalysisError> {
    const error = await promise.then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(AiAnalysisError);
    return error as AiAnalysisError;
  }

  it("sends only the model, messages, max_tokens and temperature (no vendor parameters)", async () => {
    const requests: { url: string; init: RequestInit }[] = [];
    const analysis = await requestAnalysis(
      { ...settings, fetch: answering(200, { choices: [{ message: { role: "assistant", content: '{"summary": "S", "next_steps": ["N"]}' } }] }, requests) },
      facts,
    );
    expect(analysis).toEqual({ summary: "S", nextSteps: ["N"] });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe("https://ai.example.com/v1/chat/completions");
    const body = JSON.parse(String(requests[0]!.init.body)) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["max_tokens", "messages", "model", "temperature"]);
    expect(body).toMatchObject({ model: "gpt-4o-mini", max_tokens: 500, temperature: 0.2 });
  });

  it("sends no authorization without an API key", async () => {
    const requests: { url: string; init: RequestInit }[] = [];
    await requestAnalysis({ ...settings, apiKey: undefined, fetch: answering(200, { choices: [{ message: { content: "S" } }] }, requests) }, facts);
    expect(new Headers(requests[0]!.init.headers).has("authorization")).toBe(false);
  });

  it("reads content given as text parts", async () => {
    const answer = {
      choices: [
        {
          message: {
            content: [
              { type: "text", text: '{"summary": "S", ' },
              { type: "text", text: '"next_steps": []}' },
            ],
          },
        },
      ],
    };
    expect(await requestAnalysis({ ...settings, fetch: answering(200, answer) }, facts)).toEqual({ summary: "S", nextSteps: [] });
  });

  it("reports an HTTP error with the status and the body's message, never the API key", async () => {
    const error = await failureOf(
      requestAnalysis(
        { ...settings, fetch: answering(401, { error: { message: "Incorrect API key provided: sk-secret-123", type: "invalid_request_error" } }) },
        facts,
      ),
    );
    expect(error.kind).toBe("http");
    expect(error.message).toBe("HTTP 401: Incorrect API key provided: [redacted]");
    expect(error.message).not.toContain("sk-secret-123");
  });

  it("cuts a long error body", async () => {
    const error = await failureOf(requestAnalysis({ ...settings, fetch: answering(502, `<html>${"bad gateway ".repeat(100)}</html>`) }, facts));
    expect(error.message.startsWith("HTTP 502: <html>bad gateway")).toBe(true);
    expect(error.message.length).toBeLessThanOrEqual("HTTP 502: ".length + 200);
  });

  it("reports an answer without choices, with the server's reason", async () => {
    expect((await failureOf(requestAnalysis({ ...settings, fetch: answering(200, { choices: [] }) }, facts))).message).toBe("the answer has no choices");
    expect((await failureOf(requestAnalysis({ ...settings, fetch: answering(200, { error: { message: "model overloaded" } }) }, facts))).message).toBe(
      "the answer has no choices: model overloaded",
    );
  });

  it("reports empty content and a cut-off by max tokens", async () => {
    const empty = await failureOf(
      requestAnalysis({ ...settings, fetch: answering(200, { choices: [{ message: { content: "  " }, finish_reason: "stop" }] }) }, facts),
    );
    expect(empty.kind).toBe("empty_content");
    expect(empty.message).toBe("the answer has empty content (finish_reason stop)");
    const cut = await failureOf(
      requestAnalysis({ ...settings, fetch: answering(200, { choices: [{ message: { content: null }, finish_reason: "length" }] }) }, facts),
    );
    expect(cut.message).toContain("ai.max_output_tokens");
  });

  it("reports an answer that is not JSON", async () => {
    const error = await failureOf(requestAnalysis({ ...settings, fetch: answering(200, "<html>proxy login</html>") }, facts));
    expect(error.kind).toBe("unreadable");
    expect(error.message).toBe("HTTP 200 but the answer is not a chat completion: <html>proxy login</html>");
  });

  it("reports an unreachable endpoint by host and system error code", async () => {
    const refused: typeof fetch = () =>
      Promise.reject(new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), { code: "ECONNREFUSED" }) }));
    const error = await failureOf(requestAnalysis({ ...settings, fetch: refused }, facts));
    expect(error.kind).toBe("unreachable");
    expect(error.message).toBe("cannot reach ai.example.com: ECONNREFUSED");
  });
});

describe("aiSettingsOf", () => {
  const config = loadConfig(path.resolve("values.yaml"));
  const enabled = { ...config, ai: { ...config.ai, enabled: true, timeout_ms: 12_000, max_output_tokens: 600 } };
  const environment = { AI_BASE_URL: "https://ai.example.com/v1", AI_API_KEY: "sk-secret-123", AI_MODEL: "gpt-4o-mini" };

  it("is off when ai.enabled is false, whatever the environment", () => {
    expect(aiSettingsOf({ ...config, ai: { ...config.ai, enabled: false } }, environment)).toEqual({ status: "off" });
  });

  it("is misconfigured when enabled without AI_BASE_URL or AI_MODEL, naming what is missing", () => {
    expect(aiSettingsOf(enabled, { ...environment, AI_BASE_URL: undefined })).toEqual({
      status: "misconfigured",
      problem: "AI analysis is enabled (ai.enabled in values.yaml) but AI_BASE_URL is not set in the environment",
    });
    expect(aiSettingsOf(enabled, { ...environment, AI_MODEL: undefined })).toEqual({
      status: "misconfigured",
      problem: "AI analysis is enabled (ai.enabled in values.yaml) but AI_MODEL is not set in the environment",
    });
    expect(aiSettingsOf(enabled, { AI_BASE_URL: undefined, AI_API_KEY: undefined, AI_MODEL: undefined })).toEqual({
      status: "misconfigured",
      problem: "AI analysis is enabled (ai.enabled in values.yaml) but AI_BASE_URL and AI_MODEL are not set in the environment",
    });
  });

  it("is on with the endpoint from the environment and the limits from the configuration", () => {
    expect(aiSettingsOf(enabled, environment)).toEqual({
      status: "on",
      settings: {
        baseUrl: "https://ai.example.com/v1",
        apiKey: "sk-secret-123",
        model: "gpt-4o-mini",
        timeoutMs: 12_000,
        maxOutputTokens: 600,
        timeZone: config.timezone,
        windowMinutes: config.window_minutes,
      },
    });
  });

  it("needs no API key (local servers)", () => {
    const setup = aiSettingsOf(enabled, { ...environment, AI_API_KEY: undefined });
    expect(setup.status).toBe("on");
    expect(setup.status === "on" && "apiKey" in setup.settings).toBe(false);
  });
});
