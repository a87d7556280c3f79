import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { loginOverHttp } from "./support/login";
import { E2E_BASE_URL, e2eUsers } from "./support/users";
import { policyOf } from "./support/content-security-policy";

const siteOrigin = new URL(E2E_BASE_URL).origin;

/** The callback URLs of the open-redirect report and its relatives; each must end on "/". */
const hostileCallbackUrls = [
  "/\t/evil.example",
  "/\n/evil.example",
  "//evil.example",
  "/\\evil.example",
  "/.//evil.example",
  "https://evil.example/",
  "javascript:alert(document.cookie)",
];

function expectSecurityHeaders(response: APIResponse): Map<string, string> {
  const headers = response.headers();
  expect(headers["x-frame-options"], response.url()).toBe("DENY");
  expect(headers["x-content-type-options"], response.url()).toBe("nosniff");
  expect(headers["referrer-policy"], response.url()).toBe("same-origin");
  // Plain HTTP: HSTS would be ignored by the browser, and must not be promised.
  expect(headers["strict-transport-security"], response.url()).toBeUndefined();
  const policy = policyOf(response);
  expect(policy.get("frame-ancestors"), response.url()).toBe("'none'");
  return policy;
}

function expectPagePolicy(policy: Map<string, string>): string {
  const scriptSources = policy.get("script-src") ?? "";
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSources)?.[1];
  expect(nonce, "a nonce in script-src").toBeDefined();
  expect(scriptSources).toContain("'strict-dynamic'");
  // A production build: no eval, and no inline script without the nonce.
  expect(scriptSources).not.toContain("'unsafe-eval'");
  expect(scriptSources).not.toContain("'unsafe-inline'");
  expect(policy.get("object-src")).toBe("'none'");
  expect(policy.has("upgrade-insecure-requests")).toBe(false);
  return nonce!;
}

async function firstStaticScript(request: APIRequestContext): Promise<string> {
  const html = await (await request.get("/login")).text();
  const asset = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
  if (!asset) throw new Error("The login page loads no script from /_next/static");
  return asset;
}

test.describe("security headers", () => {
  test("are on a page, a redirect, JSON, a static asset and 404s alike", async ({ request }) => {
    const login = await request.get("/login");
    expect(login.status()).toBe(200);
    expectPagePolicy(expectSecurityHeaders(login));

    const redirect = await request.get("/", { maxRedirects: 0 });
    expect(redirect.status()).toBe(307);
    expectPagePolicy(expectSecurityHeaders(redirect));

    const health = await request.get("/api/health");
    expect(health.status()).toBe(200);
    expect(health.headers()["content-type"]).toContain("application/json");
    expect(expectSecurityHeaders(health).get("default-src")).toBe("'none'");

    const asset = await request.get(await firstStaticScript(request));
    expect(asset.status()).toBe(200);
    expect(asset.headers()["content-type"]).toContain("javascript");
    expectSecurityHeaders(asset);

    for (const path of ["/_next/static/chunks/no-such-chunk.js", "/api/no-such-route"]) {
      const missing = await request.get(path);
      expect(missing.status(), path).toBe(404);
      expectSecurityHeaders(missing);
    }
  });

  test("are on the 404 page of a signed-in user", async ({ request }) => {
    expect((await loginOverHttp(request, e2eUsers.viewer.email, e2eUsers.viewer.password)).ok()).toBe(true);
    const missing = await request.get("/no-such-page");
    expect(missing.status()).toBe(404);
    expect(await missing.text()).toContain("Page not found");
    expectSecurityHeaders(missing);
  });

  test("a page's nonce is new on every response, and every script Next.js renders carries it", async ({ request }) => {
    const first = await request.get("/login");
    const second = await request.get("/login");
    const nonce = expectPagePolicy(policyOf(first));
    expect(expectPagePolicy(policyOf(second))).not.toBe(nonce);

    const scripts = (await first.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(` nonce="${nonce}"`);
  });

  test("framing is refused everywhere: frame-ancestors 'none' and X-Frame-Options DENY", async ({ request }) => {
    for (const path of ["/login", "/api/health", "/api/auth/csrf", await firstStaticScript(request)]) {
      const response = await request.get(path);
      expect(policyOf(response).get("frame-ancestors"), path).toBe("'none'");
      expect(response.headers()["x-frame-options"], path).toBe("DENY");
    }
  });

  test("HSTS and upgrade-insecure-requests come only with HTTPS (a TLS-ending proxy's X-Forwarded-Proto)", async ({ request }) => {
    const overHttps = { "X-Forwarded-Proto": "https" };
    for (const path of ["/login", "/api/health", await firstStaticScript(request)]) {
      const response = await request.get(path, { headers: overHttps });
      expect(response.headers()["strict-transport-security"], path).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
    }
    expect(policyOf(await request.get("/login", { headers: overHttps })).has("upgrade-insecure-requests")).toBe(true);
    expect((await request.get("/login")).headers()["strict-transport-security"]).toBeUndefined();
  });
});

test.describe("next-auth cookies", () => {
  function setCookies(response: APIResponse): string[] {
    return response
      .headersArray()
      .filter((header) => header.name.toLowerCase() === "set-cookie")
      .map((header) => header.value);
  }

  test("are HttpOnly and SameSite=Lax, and Secure only over HTTPS", async ({ playwright }) => {
    const overHttp = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
    const overHttps = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { "X-Forwarded-Proto": "https" } });
    try {
      const plain = setCookies(await overHttp.get("/api/auth/csrf"));
      const secure = setCookies(await overHttps.get("/api/auth/csrf"));
      expect(plain.length).toBeGreaterThan(0);
      expect(secure.length).toBeGreaterThan(0);
      for (const cookie of [...plain, ...secure]) {
        expect(cookie).toMatch(/; HttpOnly/i);
        expect(cookie).toMatch(/; SameSite=Lax/i);
      }
      for (const cookie of plain) expect(cookie).not.toMatch(/; Secure/i);
      for (const cookie of secure) expect(cookie).toMatch(/; Secure/i);
    } finally {
      await overHttp.dispose();
      await overHttps.dispose();
    }
  });
});

test.describe("callback URLs never lead off the site", () => {
  for (const callbackUrl of hostileCallbackUrls) {
    test(`next-auth's redirect after a sign-in with callbackUrl ${JSON.stringify(callbackUrl)} is our home page`, async ({ request }) => {
      const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const response = await request.post("/api/auth/callback/credentials", {
        form: { csrfToken: csrf.csrfToken, email: e2eUsers.viewer.email, password: e2eUsers.viewer.password, callbackUrl, json: "true" },
        maxRedirects: 0,
      });
      expect(response.status()).toBe(200);
      const { url } = (await response.json()) as { url: string };
      expect(url).toBe(`${siteOrigin}/`);
    });
  }

  test("a signed-in visit to the login page is redirected home, not to the hostile callbackUrl", async ({ request }) => {
    expect((await loginOverHttp(request, e2eUsers.viewer.email, e2eUsers.viewer.password)).ok()).toBe(true);
    for (const callbackUrl of hostileCallbackUrls) {
      const response = await request.get(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`, { maxRedirects: 0 });
      expect(response.status(), callbackUrl).toBe(307);
      expect(response.headers().location, callbackUrl).toBe("/");
    }
    const local = await request.get(`/login?callbackUrl=${encodeURIComponent("/peaks?status=open")}`, { maxRedirects: 0 });
    expect(local.headers().location).toBe("/peaks?status=open");
  });
});

test.describe("user regular expressions", () => {
  test("a catastrophic-backtracking pattern previews like any other while the server keeps answering", async ({ request }) => {
    expect((await loginOverHttp(request, e2eUsers.viewer.email, e2eUsers.viewer.password)).ok()).toBe(true);
    // On a backtracking engine each +2 on the bound multiplied the time by 4: {1,20} took 2.4 s,
    // so {1,60} would not end within the test's time. RE2 runs it in one linear pass.
    const preview = request.post("/api/known-issues/preview", { data: { regexes: ["^(.|.){1,60}\\x01", "(a|aa)+$", "(x+x+)+y"] } });
    const health = await request.get("/api/health");
    expect(health.ok()).toBe(true);
    const answered = await preview;
    expect(answered.status()).toBe(200);
    expect(Array.isArray(((await answered.json()) as { peaks: unknown[] }).peaks)).toBe(true);
  });

  test("a construct without a linear-time form is a 400 naming the regex", async ({ request }) => {
    expect((await loginOverHttp(request, e2eUsers.viewer.email, e2eUsers.viewer.password)).ok()).toBe(true);
    const refused = await request.post("/api/known-issues/preview", { data: { regexes: ["timeout", "(a)\\1", "(?=x)y"] } });
    expect(refused.status()).toBe(400);
    const body = (await refused.json()) as { details: { path: string; message: string }[] };
    expect(body.details.map((detail) => detail.path)).toEqual(["regexes.1", "regexes.2"]);
    expect(body.details[0]!.message).toMatch(/backreferences cannot run in linear time/);
  });
});
