import { describe, expect, it } from "vitest";
import { ForbiddenError } from "@/lib/errors";
import { assertSameOrigin, originOf } from "./same-origin";

const url = "http://localhost:3000/api/known-issues";

function post(headers: Record<string, string>, body: string | null = "{}"): Request {
  return new Request(url, { method: "POST", headers, body });
}

const refused = (request: Request, publicOrigin: string | null = null) => {
  try {
    assertSameOrigin(request, publicOrigin);
  } catch (error) {
    expect(error).toBeInstanceOf(ForbiddenError);
    return (error as Error).message;
  }
  return null;
};

describe("assertSameOrigin", () => {
  it("lets the dashboard's own pages through: Sec-Fetch-Site same-origin, or its own Origin, with a JSON body", () => {
    expect(refused(post({ "sec-fetch-site": "same-origin", "content-type": "application/json" }))).toBeNull();
    expect(refused(post({ origin: "http://localhost:3000", "content-type": "application/json; charset=utf-8" }))).toBeNull();
    // Behind a proxy the server sees another host; the configured public origin counts too.
    expect(refused(post({ origin: "https://peaks.example.com", "content-type": "application/json" }), "https://peaks.example.com")).toBeNull();
  });

  it("refuses another origin, another port of the same host and same-site pages, naming what came", () => {
    expect(refused(post({ origin: "http://evil.example", "content-type": "application/json" }))).toBe(
      'Cross-origin request refused: Origin "http://evil.example" is not this dashboard (http://localhost:3000)',
    );
    expect(refused(post({ origin: "http://localhost:3001", "content-type": "application/json" }))).toMatch(/^Cross-origin request refused/);
    expect(refused(post({ "sec-fetch-site": "same-site", origin: "http://localhost:3001", "content-type": "application/json" }))).toBe(
      "Cross-origin request refused: it came from a same-site page (Sec-Fetch-Site), not from this dashboard",
    );
    expect(refused(post({ "sec-fetch-site": "cross-site", "content-type": "application/json" }))).toMatch(/cross-site page/);
    // Sec-Fetch-Site decides when a browser sends it, whatever Origin says.
    expect(refused(post({ "sec-fetch-site": "cross-site", origin: "http://localhost:3000", "content-type": "application/json" }))).toMatch(/cross-site page/);
  });

  it("refuses a request without Origin, saying what a script must send", () => {
    expect(refused(post({ "content-type": "application/json" }), "https://peaks.example.com")).toBe(
      'Request refused: it carries no Origin header; scripts send "Origin: https://peaks.example.com" with their requests',
    );
    expect(refused(post({ origin: "", "content-type": "application/json" }))).toMatch(/carries no Origin header/);
    // A sandboxed frame or a local file sends the opaque origin "null".
    expect(refused(post({ origin: "null", "content-type": "application/json" }))).toMatch(/^Cross-origin request refused: Origin "null"/);
  });

  it("refuses a body that is not JSON: what an HTML form can send without asking", () => {
    expect(refused(post({ "sec-fetch-site": "same-origin", "content-type": "text/plain" }))).toBe(
      "Request refused: the body must be JSON sent as Content-Type: application/json, not text/plain",
    );
    expect(refused(post({ "sec-fetch-site": "same-origin", "content-type": "application/x-www-form-urlencoded" }))).toMatch(/must be JSON/);
    expect(refused(post({ "sec-fetch-site": "same-origin" }, "x"))).toMatch(/must be JSON/);
    expect(refused(post({ "sec-fetch-site": "same-origin", "content-length": "12" }, null))).toMatch(/must be JSON/);
    expect(refused(post({ "sec-fetch-site": "same-origin", "transfer-encoding": "chunked" }, null))).toMatch(/must be JSON/);
  });

  it("lets a same-origin request without a body through: a DELETE, an action without options", () => {
    const withoutBody = (method: string, headers: Record<string, string>) =>
      new Request(url, { method, headers, body: new ReadableStream({ start: (controller) => controller.close() }), duplex: "half" } as RequestInit);
    expect(refused(withoutBody("DELETE", { "sec-fetch-site": "same-origin" }))).toBeNull();
    expect(refused(withoutBody("POST", { origin: "http://localhost:3000", "content-length": "0" }))).toBeNull();
    expect(refused(withoutBody("DELETE", { "sec-fetch-site": "cross-site" }))).toMatch(/^Cross-origin request refused/);
  });
});

describe("originOf", () => {
  it("gives a URL's origin, or null", () => {
    expect(originOf("https://peaks.example.com/base/")).toBe("https://peaks.example.com");
    expect(originOf(undefined)).toBeNull();
    expect(originOf("not a url")).toBeNull();
  });
});
