import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort, startHttpStub, type HttpStub } from "@/test/support/http-stub";
import { isRetryableStatus, parseRetryAfter, postWebhook } from "./webhook";

// postWebhook against a real HTTP server on 127.0.0.1: real sockets, real timeouts and refusals.

let receiver: HttpStub;
let webhookUrl: string;
beforeAll(async () => {
  receiver = await startHttpStub();
  webhookUrl = `${receiver.url}/workflows/a1b2/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRET-SIGNATURE`;
});
afterAll(async () => {
  await receiver.close();
});

const payload = {
  type: "message",
  attachments: [
    {
      contentType: "application/vnd.microsoft.card.adaptive",
      content: { type: "AdaptiveCard", body: [{ type: "TextBlock", text: "HIGH error peak in payments" }] },
    },
  ],
};

function recordingSleep() {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

describe("postWebhook", () => {
  it("retries a 500 and succeeds on the 200, having sent the exact JSON payload each time", async () => {
    receiver.answerWith([
      { status: 500, text: "temporarily broken" },
      { status: 200, text: "1" },
    ]);
    const { sleeps, sleep } = recordingSleep();
    const result = await postWebhook(webhookUrl, payload, { attempts: 3, initialBackoffMs: 100, sleep });
    expect(result).toEqual({ ok: true, attempts: 2, status: 200 });
    expect(receiver.requests).toHaveLength(2);
    for (const request of receiver.requests) {
      expect(request.method).toBe("POST");
      expect(request.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(request.text)).toEqual(payload);
    }
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(0);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
  });

  it("takes 202 Accepted (what Teams Workflows answers) as success without retrying", async () => {
    receiver.answerWith([{ status: 202 }]);
    const result = await postWebhook(webhookUrl, payload, { attempts: 3, initialBackoffMs: 100, sleep: async () => {} });
    expect(result).toEqual({ ok: true, attempts: 1, status: 202 });
    expect(receiver.requests).toHaveLength(1);
  });

  it("waits the Retry-After seconds of a 429 before trying again", async () => {
    receiver.answerWith([{ status: 429, headers: { "retry-after": "2" }, text: "slow down" }, { status: 202 }]);
    const { sleeps, sleep } = recordingSleep();
    const result = await postWebhook(webhookUrl, payload, { attempts: 3, initialBackoffMs: 10, sleep });
    expect(result).toEqual({ ok: true, attempts: 2, status: 202 });
    expect(sleeps).toEqual([2000]);
  });

  it("caps a long Retry-After at maxBackoffMs", async () => {
    receiver.answerWith([{ status: 429, headers: { "retry-after": "3600" } }, { status: 200 }]);
    const { sleeps, sleep } = recordingSleep();
    await postWebhook(webhookUrl, payload, { attempts: 2, initialBackoffMs: 10, maxBackoffMs: 5000, sleep });
    expect(sleeps).toEqual([5000]);
  });

  it("retries 408 and 503 too, backing off exponentially below a doubling ceiling", async () => {
    receiver.answerWith([{ status: 408 }, { status: 503 }, { status: 503 }, { status: 503 }]);
    const { sleeps, sleep } = recordingSleep();
    const result = await postWebhook(webhookUrl, payload, { attempts: 4, initialBackoffMs: 100, maxBackoffMs: 250, sleep });
    expect(result).toEqual({ ok: false, attempts: 4, error: "HTTP 503" });
    expect(receiver.requests).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    [100, 200, 250].forEach((ceiling, index) => {
      expect(sleeps[index]).toBeGreaterThanOrEqual(0);
      expect(sleeps[index]).toBeLessThanOrEqual(ceiling);
    });
  });

  it("does not retry a 400, and names the status and the body's start but never the URL", async () => {
    const longBody = `{"error":{"code":"InvalidRequestContent","message":"The input body for trigger 'manual' of type 'Request' must be of type JSON${" padding".repeat(40)}"}}`;
    receiver.answerWith([{ status: 400, text: longBody }]);
    const { sleeps, sleep } = recordingSleep();
    const result = await postWebhook(webhookUrl, payload, { attempts: 3, initialBackoffMs: 100, sleep });
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    const error = result.ok ? "" : result.error;
    expect(error).toBe(`HTTP 400: ${longBody.slice(0, 200)}…`);
    expect(error).not.toContain("SECRET-SIGNATURE");
    expect(error).not.toContain("127.0.0.1");
  });

  it.each([401, 403, 404, 413])("does not retry a %i", async (status) => {
    receiver.answerWith([{ status }, { status: 200 }]);
    const result = await postWebhook(webhookUrl, payload, { attempts: 3, initialBackoffMs: 1, sleep: async () => {} });
    expect(result).toEqual({ ok: false, attempts: 1, error: `HTTP ${status}` });
    expect(receiver.requests).toHaveLength(1);
  });

  it("keeps a body that quotes the URL from leaking its signature", async () => {
    receiver.answerWith([(request) => ({ status: 404, text: `no flow at ${receiver.url}${request.path}` })]);
    const result = await postWebhook(webhookUrl, payload, { attempts: 1, initialBackoffMs: 1 });
    expect(result).toEqual({ ok: false, attempts: 1, error: "HTTP 404: no flow at [webhook url]" });
  });

  it("gives each attempt its own timeout against a receiver that never answers, then fails", async () => {
    receiver.answerWith(["never"]);
    const { sleeps, sleep } = recordingSleep();
    const startedAt = performance.now();
    const result = await postWebhook(webhookUrl, payload, { attempts: 3, initialBackoffMs: 1, timeoutMs: 100, sleep });
    expect(result).toEqual({ ok: false, attempts: 3, error: "no answer within 100 ms" });
    expect(receiver.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
  });

  it("retries a refused connection, then fails naming the network error", async () => {
    const port = await closedPort();
    const { sleeps, sleep } = recordingSleep();
    const url = `http://127.0.0.1:${port}/workflows/a1b2/triggers/manual/paths/invoke?sig=SECRET-SIGNATURE`;
    const result = await postWebhook(url, payload, { attempts: 3, initialBackoffMs: 1, timeoutMs: 2000, sleep });
    expect(result).toEqual({ ok: false, attempts: 3, error: "network error: ECONNREFUSED" });
    expect(sleeps).toHaveLength(2);
  });

  it("does not send to a URL it cannot parse", async () => {
    const result = await postWebhook("not a url?sig=SECRET-SIGNATURE", payload, { attempts: 3, initialBackoffMs: 1, sleep: async () => {} });
    expect(result).toEqual({ ok: false, attempts: 0, error: "the webhook URL is not a valid URL" });
  });
});

describe("isRetryableStatus", () => {
  it("retries timeouts, rate limiting and server errors only", () => {
    expect([408, 429, 500, 502, 503, 504].map(isRetryableStatus)).toEqual([true, true, true, true, true, true]);
    expect([400, 401, 403, 404, 409, 413, 422].map(isRetryableStatus)).toEqual([false, false, false, false, false, false, false]);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-29T09:00:00Z");

  it("reads delay-seconds", () => {
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP date as the time left until it, and a past date as no wait", () => {
    expect(parseRetryAfter("Thu, 29 Jan 2026 09:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Thu, 29 Jan 2026 08:59:00 GMT", now)).toBe(0);
  });

  it("ignores an absent or unreadable header", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });
});
