import { expect, test, type APIRequestContext, type PlaywrightWorkerArgs } from "@playwright/test";

type Playwright = PlaywrightWorkerArgs["playwright"];
import { loginOverHttp } from "./support/login";
import { asSoleActiveAdmin } from "./support/sole-admin";
import { E2E_BASE_URL, e2eUsers } from "./support/users";

// The e2e server trusts one proxy (start-server.ts): X-Forwarded-For's last entry is the client.

/** The session cookie a context holds, as a Cookie header. */
async function sessionCookieOf(request: APIRequestContext): Promise<string> {
  const { cookies } = await request.storageState();
  const session = cookies.filter((cookie) => cookie.name.startsWith("next-auth.session-token"));
  expect(session.length, "a session cookie after signing in").toBeGreaterThan(0);
  return session.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

/** What the API answers a request that carries only this cookie. */
async function statusWithCookie(playwright: Playwright, cookie: string): Promise<number> {
  const replay = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { cookie } });
  try {
    return (await replay.get("/api/overview")).status();
  } finally {
    await replay.dispose();
  }
}

async function signedIn(playwright: Playwright, email: string, password: string, clientAddress?: string): Promise<APIRequestContext> {
  const context = await playwright.request.newContext({
    baseURL: E2E_BASE_URL,
    extraHTTPHeaders: { Origin: E2E_BASE_URL, ...(clientAddress ? { "x-forwarded-for": clientAddress } : {}) },
  });
  const response = await loginOverHttp(context, email, password);
  expect(((await response.json()) as { url: string }).url, `${email} signs in`).not.toContain("error=");
  return context;
}

/** Creates an account as the admin; answers its id and password. */
async function createAccount(admin: APIRequestContext, email: string, role: "viewer" | "analyst" | "admin") {
  const created = await admin.post("/api/users", { data: { email, role } });
  expect(created.status()).toBe(201);
  const body = (await created.json()) as { user: { id: number }; generatedPassword: string };
  return { id: body.user.id, email, password: body.generatedPassword };
}

test.describe("sessions end at once", () => {
  test("a cookie copied before sign-out no longer reads the API", async ({ playwright }) => {
    const viewer = await signedIn(playwright, e2eUsers.viewer.email, e2eUsers.viewer.password);
    const cookie = await sessionCookieOf(viewer);
    expect(await statusWithCookie(playwright, cookie)).toBe(200);
    const { csrfToken } = (await (await viewer.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const signOut = await viewer.post("/api/auth/signout", { form: { csrfToken, json: "true" }, maxRedirects: 0 });
    expect(signOut.ok()).toBe(true);
    expect(await statusWithCookie(playwright, cookie)).toBe(401);
    // The pages send the ended session to the login page, detail pages included.
    const replay = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { cookie } });
    for (const page of ["/", "/peaks", "/peaks/1", "/known-issues/1", "/users"]) {
      const response = await replay.get(page, { maxRedirects: 0 });
      expect(response.status(), page).toBe(307);
      expect(response.headers().location, page).toMatch(/^\/login/);
    }
    await replay.dispose();
    await viewer.dispose();
  });

  test("disabling, a new role, a new password and deletion each end the user's session", async ({ playwright }) => {
    const admin = await signedIn(playwright, e2eUsers.admin.email, e2eUsers.admin.password);
    const stamp = Date.now();
    const changes: [string, (id: number) => Promise<number>][] = [
      ["disabled", async (id) => (await admin.patch(`/api/users/${id}`, { data: { disabled: true } })).status()],
      ["given another role", async (id) => (await admin.patch(`/api/users/${id}`, { data: { role: "viewer" } })).status()],
      ["given a new password", async (id) => (await admin.post(`/api/users/${id}/reset-password`, { data: {} })).status()],
      ["deleted", async (id) => (await admin.delete(`/api/users/${id}`)).status()],
    ];
    for (const [index, [what, change]] of changes.entries()) {
      const account = await createAccount(admin, `ends-${stamp}-${index}@e2e.test`, "analyst");
      const user = await signedIn(playwright, account.email, account.password);
      const cookie = await sessionCookieOf(user);
      expect(await statusWithCookie(playwright, cookie), `before being ${what}`).toBe(200);
      expect(await change(account.id), what).toBe(200);
      expect(await statusWithCookie(playwright, cookie), `after being ${what}`).toBe(401);
      await user.dispose();
    }
    await admin.dispose();
  });

  test("an enabled account signs in again, but its old session stays ended; a reset password is shown once and works", async ({ playwright }) => {
    const admin = await signedIn(playwright, e2eUsers.admin.email, e2eUsers.admin.password);
    const account = await createAccount(admin, `cycle-${Date.now()}@e2e.test`, "viewer");
    const user = await signedIn(playwright, account.email, account.password);
    const cookie = await sessionCookieOf(user);
    expect((await admin.patch(`/api/users/${account.id}`, { data: { disabled: true } })).status()).toBe(200);
    const refused = await loginOverHttp(await playwright.request.newContext({ baseURL: E2E_BASE_URL }), account.email, account.password);
    expect(((await refused.json()) as { url: string }).url).toContain("error=CredentialsSignin");
    expect((await admin.patch(`/api/users/${account.id}`, { data: { disabled: false } })).status()).toBe(200);
    expect(await statusWithCookie(playwright, cookie)).toBe(401);
    const reset = (await (await admin.post(`/api/users/${account.id}/reset-password`, { data: {} })).json()) as { password: string };
    expect(reset.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const again = await signedIn(playwright, account.email, reset.password);
    expect((await again.get("/api/overview")).status()).toBe(200);
    const list = await (await admin.get("/api/users")).text();
    expect(list).not.toContain(reset.password);
    await again.dispose();
    await user.dispose();
    await admin.dispose();
  });
});

test.describe("the user lifecycle is guarded", () => {
  test("the last active admin cannot be disabled, demoted or deleted", async ({ request }) => {
    expect((await loginOverHttp(request, e2eUsers.admin.email, e2eUsers.admin.password)).ok()).toBe(true);
    await asSoleActiveAdmin(request, async (adminId) => {
      for (const [method, data] of [
        ["patch", { disabled: true }],
        ["patch", { role: "analyst" }],
        ["delete", undefined],
      ] as const) {
        const response = await request.fetch(`/api/users/${adminId}`, { method, data });
        expect(response.status(), `${method} ${JSON.stringify(data)}`).toBe(409);
        expect(((await response.json()) as { message: string }).message).toMatch(/is the last active admin/);
      }
    });
    expect((await request.get("/api/overview")).status()).toBe(200);
  });

  test("only admins change users, ids beyond any record are 400s and unknown users 404s", async ({ playwright }) => {
    const analyst = await signedIn(playwright, e2eUsers.analyst.email, e2eUsers.analyst.password);
    expect((await analyst.patch("/api/users/1", { data: { role: "admin" } })).status()).toBe(403);
    expect((await analyst.post("/api/users/1/reset-password", { data: {} })).status()).toBe(403);
    expect((await analyst.delete("/api/users/1")).status()).toBe(403);
    await analyst.dispose();
    const admin = await signedIn(playwright, e2eUsers.admin.email, e2eUsers.admin.password);
    for (const id of ["2147483648", "9223372036854775808", "abc"]) {
      const response = await admin.patch(`/api/users/${id}`, { data: { role: "viewer" } });
      expect(response.status(), id).toBe(400);
      expect(((await response.json()) as { details: { path: string }[] }).details.map((detail) => detail.path)).toEqual(["id"]);
    }
    expect((await admin.patch("/api/users/2147483647", { data: { role: "viewer" } })).status()).toBe(404);
    const unknownKey = await admin.patch("/api/users/1", { data: { role: "viewer", isAdmin: true } });
    expect(unknownKey.status()).toBe(400);
    await admin.dispose();
  });
});

test.describe("sign-in throttling", () => {
  test("a rotating X-Forwarded-For does not get around an account's lockout", async ({ playwright }) => {
    const admin = await signedIn(playwright, e2eUsers.admin.email, e2eUsers.admin.password);
    const account = await createAccount(admin, `rotating-${Date.now()}@e2e.test`, "viewer");
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const client = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { "x-forwarded-for": `203.0.113.${attempt + 1}` } });
      const response = await loginOverHttp(client, account.email, "wrong-password");
      expect(((await response.json()) as { url: string }).url).toContain("error=CredentialsSignin");
      await client.dispose();
    }
    const fresh = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { "x-forwarded-for": "203.0.113.99" } });
    const limited = await loginOverHttp(fresh, account.email, account.password);
    expect(((await limited.json()) as { url: string }).url).toContain("error=RateLimited");
    // An admin's password reset lifts the lockout.
    const reset = (await (await admin.post(`/api/users/${account.id}/reset-password`, { data: {} })).json()) as { password: string };
    const afterReset = await loginOverHttp(fresh, account.email, reset.password);
    expect(((await afterReset.json()) as { url: string }).url).not.toContain("error=");
    await fresh.dispose();
    await admin.dispose();
  });

  test("one client address guessing across many accounts is stopped, other addresses are not", async ({ playwright }) => {
    const sprayer = "198.51.100.77";
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const client = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { "x-forwarded-for": sprayer } });
      const response = await loginOverHttp(client, `spray-${attempt}@e2e.test`, "Winter2026!");
      expect(((await response.json()) as { url: string }).url).toContain("error=CredentialsSignin");
      await client.dispose();
    }
    // The right password of a real account, from the same address, is refused before it is checked.
    const fromSprayer = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { "x-forwarded-for": `6.6.6.6, ${sprayer}` } });
    const refused = await loginOverHttp(fromSprayer, e2eUsers.viewer.email, e2eUsers.viewer.password);
    expect(((await refused.json()) as { url: string }).url).toContain("error=RateLimited");
    await fromSprayer.dispose();
    const elsewhere = await signedIn(playwright, e2eUsers.viewer.email, e2eUsers.viewer.password, "198.51.100.78");
    expect((await elsewhere.get("/api/overview")).status()).toBe(200);
    await elsewhere.dispose();
  });
});
