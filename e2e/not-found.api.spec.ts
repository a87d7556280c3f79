import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { enrichSamplePeaks } from "./support/enrich";
import { loginOverHttp } from "./support/login";
import { e2eUsers } from "./support/users";
import { policyOf } from "./support/content-security-policy";

// What does not exist answers 404: a page or record with the styled not-found page, decided
// before any loading skeleton streams (which would fix the status at 200), and an API path no
// route claims with JSON in the API's error shape.
//
// A 404 raised by notFound() reaches the browser as Next.js's error document, which React renders
// from the inline server-component payload; an unmatched path gets the not-found page as markup.
// So the checks look for the heading and the stylesheets anywhere in the response, and require
// every script to carry the policy's nonce, without which nothing would render;
// not-found.ui.spec.ts checks in a browser which page shows.

const UNKNOWN_PATTERN = "ffffffffffffff";

/** Paths of pages that cannot exist, with the heading of the not-found page each shows. */
const missingPages: readonly (readonly [path: string, heading: string])[] = [
  ["/peaks/999999", "No such peak"],
  ["/peaks/abc", "No such peak"],
  ["/peaks/2147483648", "No such peak"],
  ["/peaks/0", "No such peak"],
  ["/peaks/1.5", "No such peak"],
  ["/known-issues/999999", "No such known issue"],
  ["/known-issues/abc", "No such known issue"],
  ["/known-issues/2147483648", "No such known issue"],
  ["/namespaces/no-such-namespace", "No such namespace"],
  ["/namespaces/%20", "No such namespace"],
  [`/namespaces/${"n".repeat(201)}`, "No such namespace"],
  [`/patterns/${UNKNOWN_PATTERN}`, "Page not found"],
  [`/patterns/${"f".repeat(201)}`, "Page not found"],
  ["/no-such-page", "Page not found"],
  ["/peaks/1/no-such-tab", "Page not found"],
];

/**
 * A page under the page policy whose scripts all carry its nonce and whose stylesheets load from
 * the site (which style-src allows): what the browser needs to show it styled.
 */
async function expectStyledPage(request: APIRequestContext, response: APIResponse, html: string) {
  const policy = policyOf(response);
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy.get("script-src") ?? "")?.[1];
  expect(nonce, `a nonce in the script-src of ${response.url()}`).toBeDefined();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, response.url()).toBeGreaterThan(0);
  for (const script of scripts) expect(script, response.url()).toContain(` nonce="${nonce}"`);
  expect(policy.get("style-src"), response.url()).toContain("'self'");
  const stylesheets = new Set(html.match(/\/_next\/static\/[\w./-]+\.css/g) ?? []);
  expect(stylesheets.size, `stylesheets of ${response.url()}`).toBeGreaterThan(0);
  for (const href of stylesheets) {
    const stylesheet = await request.get(href);
    expect(stylesheet.status(), href).toBe(200);
    expect(stylesheet.headers()["content-type"], href).toContain("text/css");
  }
}

test.describe("not found, signed in as an admin", () => {
  test.beforeEach(async ({ request }) => {
    expect((await loginOverHttp(request, e2eUsers.admin.email, e2eUsers.admin.password)).ok()).toBe(true);
  });

  for (const [path, heading] of missingPages) {
    test(`${path.length > 60 ? `${path.slice(0, 40)}… (${path.length} characters)` : path} is a 404 showing "${heading}", styled`, async ({ request }) => {
      const response = await request.get(path);
      expect(response.status()).toBe(404);
      expect(response.headers()["content-type"]).toContain("text/html");
      const html = await response.text();
      expect(html).toContain(heading);
      await expectStyledPage(request, response, html);
    });
  }

  test("pages of records that exist, and the list pages, still answer 200", async ({ request }) => {
    // Patterns come from investigating the sample's peaks, which it is loaded without.
    test.setTimeout(300_000);
    await enrichSamplePeaks(request);
    const { peaks } = (await (await request.get("/api/peaks?limit=1")).json()) as { peaks: { id: number; namespace: string }[] };
    const peak = peaks[0];
    expect(peak, "the e2e sample has a peak").toBeDefined();
    const { patterns } = (await (await request.get("/api/patterns?limit=1")).json()) as { patterns: { hash: string }[] };
    const pattern = patterns[0];
    expect(pattern, "the e2e sample has a pattern").toBeDefined();
    for (const path of [
      `/peaks/${peak!.id}`,
      `/namespaces/${encodeURIComponent(peak!.namespace)}`,
      `/patterns/${pattern!.hash}`,
      "/",
      "/peaks",
      "/known-issues",
      "/known-issues/new",
      "/namespaces",
      "/patterns",
      "/runs",
      "/thresholds",
      "/users",
    ]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      await expectStyledPage(request, response, await response.text());
    }
  });

  for (const [method, path] of [
    ["GET", "/api/no-such-route"],
    ["POST", "/api/peaks/1/no-such-action"],
    ["DELETE", "/api/no-such-route/deeper/still"],
    ["GET", "/api/peaks/1/notes/2"],
  ] as const) {
    test(`${method} ${path} is a JSON 404 in the API's error shape`, async ({ request }) => {
      const response = await request.fetch(path, { method, data: method === "GET" ? undefined : {} });
      expect(response.status()).toBe(404);
      expect(response.headers()["content-type"]).toContain("application/json");
      expect(await response.json()).toEqual({ error: "not_found", message: "No such API route" });
      expect(policyOf(response).get("default-src")).toBe("'none'");
    });
  }

  test("the catch-all shadows no real route: known paths answer as before, unknown methods on them stay a 405", async ({ request }) => {
    const { peaks } = (await (await request.get("/api/peaks?limit=1")).json()) as { peaks: { id: number }[] };
    const id = peaks[0]!.id;
    expect((await request.get(`/api/peaks/${id}`)).status()).toBe(200);
    expect((await request.get("/api/peaks/999999")).status()).toBe(404);
    expect(await (await request.get("/api/peaks/999999")).json()).toEqual({ error: "not_found", message: "Peak 999999 does not exist" });
    expect((await request.get("/api/health")).status()).toBe(200);
    const session = (await (await request.get("/api/auth/session")).json()) as { user?: { email?: string } };
    expect(session.user?.email).toBe(e2eUsers.admin.email);
    expect((await request.get("/api/auth/providers")).status()).toBe(200);
    for (const [method, path] of [
      ["DELETE", `/api/peaks/${id}`],
      ["GET", `/api/peaks/${id}/actions`],
      ["PUT", "/api/health"],
    ] as const) {
      expect((await request.fetch(path, { method })).status(), `${method} ${path}`).toBe(405);
    }
  });
});

test.describe("not found, signed out", () => {
  test("an unknown API path is a JSON 404, a real one still a 401", async ({ request }) => {
    const unknown = await request.get("/api/no-such-route");
    expect(unknown.status()).toBe(404);
    expect(await unknown.json()).toEqual({ error: "not_found", message: "No such API route" });
    const real = await request.get("/api/peaks");
    expect(real.status()).toBe(401);
    expect(await real.json()).toMatchObject({ error: "unauthenticated" });
  });

  test("an unknown page sends to the login page, as every page does without a session", async ({ request }) => {
    for (const path of ["/peaks/999999", "/no-such-page"]) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(307);
      expect(new URL(response.headers()["location"]!, response.url()).pathname, path).toBe("/login");
    }
  });
});
