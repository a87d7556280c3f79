import { errors } from "@elastic/elasticsearch";
import { describe, expect, it } from "vitest";
import { classifyFailure, describeFailure, isPointInTimeGone } from "./failures";
import { backoffDelay, withRetries } from "@/lib/retry";

const policy = { attempts: 4, initialBackoffMs: 100, maxBackoffMs: 1000 };

function responseError(statusCode: number, type: string, headers: Record<string, string> = {}): errors.ResponseError {
  return new errors.ResponseError({
    body: { error: { root_cause: [{ type, reason: "why" }], type, reason: "why" }, status: statusCode },
    statusCode,
    headers,
    warnings: null,
    meta: {} as never,
  });
}

describe("backoffDelay", () => {
  it("doubles the ceiling per attempt, jitters below it and caps at the maximum", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(policy, attempt, 0.999))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelay(policy, 3, 0)).toBe(0);
  });

  it("waits at least what the server asked, but never beyond the maximum", () => {
    expect(backoffDelay(policy, 1, 0.5, 700)).toBe(700);
    expect(backoffDelay(policy, 1, 0.5, 60_000)).toBe(1000);
  });
});

describe("withRetries", () => {
  it("retries retryable failures up to the number of attempts, then rethrows the last", async () => {
    let calls = 0;
    const sleeps: number[] = [];
    const failure = await withRetries(
      async () => {
        calls += 1;
        throw new Error(`failure ${calls}`);
      },
      policy,
      { classify: () => ({ retry: true }), sleep: async (ms) => void sleeps.push(ms), random: () => 1 },
    ).catch((error: unknown) => error);
    expect((failure as Error).message).toBe("failure 4");
    expect(calls).toBe(4);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it("stops at once on a failure that is not retryable", async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls += 1;
          throw new Error("bad request");
        },
        policy,
        { classify: () => ({ retry: false }), sleep: async () => {} },
      ),
    ).rejects.toThrow("bad request");
    expect(calls).toBe(1);
  });

  it("returns the first success", async () => {
    let calls = 0;
    const result = await withRetries(
      async (attempt) => {
        calls += 1;
        if (attempt < 3) throw new Error("transient");
        return "done";
      },
      policy,
      { classify: () => ({ retry: true }), sleep: async () => {} },
    );
    expect(result).toBe("done");
    expect(calls).toBe(3);
  });
});

describe("classifyFailure", () => {
  it("retries overload, server errors, timeouts and broken connections", () => {
    for (const status of [429, 500, 502, 503, 504]) expect(classifyFailure(responseError(status, "x")).retry).toBe(true);
    expect(classifyFailure(new errors.TimeoutError("timed out")).retry).toBe(true);
    expect(classifyFailure(new errors.ConnectionError("other side closed")).retry).toBe(true);
    expect(classifyFailure(new errors.DeserializationError("Unexpected end of JSON input", "{")).retry).toBe(true);
  });

  it("honours Retry-After in seconds on a 429", () => {
    expect(classifyFailure(responseError(429, "es_rejected_execution_exception", { "retry-after": "3" }))).toEqual({ retry: true, notBeforeMs: 3000 });
  });

  it("does not retry client errors, credentials or untrusted certificates", () => {
    for (const status of [400, 401, 403, 404]) expect(classifyFailure(responseError(status, "x")).retry).toBe(false);
    expect(classifyFailure(new errors.ConnectionError("self-signed certificate in certificate chain")).retry).toBe(false);
    expect(classifyFailure(new Error("bug")).retry).toBe(false);
  });

  it("recognises an expired point in time, also as the root cause of a search phase failure", () => {
    expect(isPointInTimeGone(responseError(404, "search_context_missing_exception"))).toBe(true);
    const wrapped = new errors.ResponseError({
      body: {
        error: {
          root_cause: [{ type: "search_context_missing_exception", reason: "No search context found for id [1]" }],
          type: "search_phase_execution_exception",
          reason: "all shards failed",
          caused_by: { type: "search_context_missing_exception", reason: "No search context found for id [1]" },
        },
        status: 404,
      },
      statusCode: 404,
      headers: {},
      warnings: null,
      meta: {} as never,
    });
    expect(isPointInTimeGone(wrapped)).toBe(true);
    expect(isPointInTimeGone(responseError(404, "index_not_found_exception"))).toBe(false);
  });
});

describe("describeFailure", () => {
  const describe_ = (error: unknown) => describeFailure(error, "https://es:9200", "count the errors of X");

  it("maps each failure to a code and a message that says what to do", () => {
    expect(describe_(responseError(404, "index_not_found_exception"))).toMatchObject({
      code: "configuration",
      message: expect.stringContaining("Check source.index_pattern"),
    });
    expect(describe_(responseError(400, "media_type_header_exception"))).toMatchObject({
      code: "configuration",
      message: expect.stringContaining("8.x and 9.x are supported"),
    });
    expect(describe_(responseError(400, "search_phase_execution_exception"))).toMatchObject({
      code: "configuration",
      message: expect.stringContaining("Check source.fields"),
    });
    expect(describe_(new errors.ConnectionError("unable to verify the first certificate"))).toMatchObject({
      code: "configuration",
      message: expect.stringContaining("ES_CA_CERT"),
    });
    expect(describe_(new errors.TimeoutError("Request timed out"))).toMatchObject({
      code: "unavailable",
      message: expect.stringContaining("ES_REQUEST_TIMEOUT_MS"),
    });
    expect(describe_(new errors.ConnectionError("connect ECONNREFUSED 127.0.0.1:9200"))).toMatchObject({
      code: "unavailable",
      message: "Could not count the errors of X: Elasticsearch at https://es:9200 is unreachable or cut the connection (connect ECONNREFUSED 127.0.0.1:9200).",
    });
    expect(describe_(new errors.ProductNotSupportedError("The client noticed that the server is not Elasticsearch", {} as never))).toMatchObject({
      code: "configuration",
    });
  });
});
