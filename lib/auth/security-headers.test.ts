import { describe, expect, it } from "vitest";
import {
  createNonce,
  NON_PAGE_CONTENT_SECURITY_POLICY,
  pageContentSecurityPolicy,
  requestIsHttps,
  securityHeaders,
  STRICT_TRANSPORT_SECURITY,
} from "@/lib/auth/security-headers.js";

function directivesOf(policy: string): Map<string, string> {
  return new Map(
    policy.split(";").map((directive) => {
      const [name = "", ...sources] = directive.trim().split(/\s+/);
      return [name, sources.join(" ")];
    }),
  );
}

function request(url: string, forwardedProto?: string) {
  const headers = new Headers(forwardedProto === undefined ? {} : { "x-forwarded-proto": forwardedProto });
  return { url, headers };
}

describe("pageContentSecurityPolicy", () => {
  it("in a build: scripts and <style> elements by nonce only, no eval, framing refused", () => {
    const policy = directivesOf(pageContentSecurityPolicy({ nonce: "abc123==", isDevelopment: false, isHttps: false }));
    expect(policy.get("script-src")).toBe("'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(policy.get("style-src")).toBe("'self' 'nonce-abc123=='");
    expect(policy.get("style-src-attr")).toBe("'unsafe-inline'");
    expect(policy.get("frame-ancestors")).toBe("'none'");
    expect(policy.get("object-src")).toBe("'none'");
    expect(policy.get("default-src")).toBe("'self'");
    expect(policy.has("upgrade-insecure-requests")).toBe(false);
  });

  it("under next dev: eval for React's debugging and any inline <style> for hot reloading", () => {
    const policy = directivesOf(pageContentSecurityPolicy({ nonce: "n", isDevelopment: true, isHttps: false }));
    expect(policy.get("script-src")).toBe("'self' 'nonce-n' 'strict-dynamic' 'unsafe-eval'");
    expect(policy.get("style-src")).toBe("'self' 'unsafe-inline'");
  });

  it("over HTTPS: upgrades insecure requests", () => {
    const policy = directivesOf(pageContentSecurityPolicy({ nonce: "n", isDevelopment: false, isHttps: true }));
    expect(policy.has("upgrade-insecure-requests")).toBe(true);
  });
});

describe("createNonce", () => {
  it("gives 128 random bits in base64, different each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("requestIsHttps", () => {
  const cases: [description: string, url: string, forwardedProto: string | undefined, expected: boolean][] = [
    ["plain HTTP", "http://localhost:3000/", undefined, false],
    ["TLS ended at Next.js", "https://peaks.example.com/", undefined, true],
    ["a reverse proxy that ended TLS", "http://localhost:3000/", "https", true],
    ["several proxies, the client's side first", "http://localhost:3000/", "https, http", true],
    ["a proxy saying plain HTTP", "http://localhost:3000/", "http", false],
    ["in capitals", "http://localhost:3000/", "HTTPS", true],
  ];

  it.each(cases)("%s", (_description, url, forwardedProto, expected) => {
    expect(requestIsHttps(request(url, forwardedProto))).toBe(expected);
  });
});

describe("securityHeaders (every response)", () => {
  it("refuses framing and sniffing, keeps the referrer on this site, and adds no HSTS over HTTP", () => {
    const headers = Object.fromEntries(securityHeaders({ isHttps: false }).map(({ key, value }) => [key, value]));
    expect(headers).toEqual({
      "Content-Security-Policy": NON_PAGE_CONTENT_SECURITY_POLICY,
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
    });
    expect(directivesOf(NON_PAGE_CONTENT_SECURITY_POLICY).get("frame-ancestors")).toBe("'none'");
    expect(directivesOf(NON_PAGE_CONTENT_SECURITY_POLICY).get("default-src")).toBe("'none'");
  });

  it("adds HSTS over HTTPS", () => {
    const hsts = securityHeaders({ isHttps: true }).find(({ key }) => key === "Strict-Transport-Security");
    expect(hsts?.value).toBe(STRICT_TRANSPORT_SECURITY);
  });
});
