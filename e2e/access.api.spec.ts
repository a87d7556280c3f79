import { expect, test } from "@playwright/test";
import { loginOverHttp } from "./support/login";
import { e2eUsers } from "./support/users";

test.describe("without a session", () => {
  test("an API request gets 401 with a JSON reason", async ({ request }) => {
    const response = await request.get("/api/overview");
    expect(response.status()).toBe(401);
    expect(await response.json()).toEqual({ error: "unauthenticated", message: "Sign in to continue" });
  });

  test("a page request is redirected to the login page, keeping where it was going", async ({ request }) => {
    const response = await request.get("/users?tab=all", { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    const location = new URL(response.headers().location ?? "", "http://localhost");
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("callbackUrl")).toBe("/users?tab=all");
  });

  test("the liveness and readiness probes answer without a session", async ({ request }) => {
    const live = await request.get("/api/health");
    expect(live.status()).toBe(200);
    expect(await live.json()).toMatchObject({ status: "ok" });
    const ready = await request.get("/api/health/ready");
    expect(ready.status()).toBe(200);
    expect(ready.headers()["cache-control"]).toBe("no-store");
    expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: "ok", migrations: "ok", elasticsearch: "not configured" } });
  });

  test("the metrics route is off (404) while METRICS_TOKEN is unset", async ({ request }) => {
    const response = await request.get("/api/metrics", { headers: { Authorization: "Bearer anything-at-all-here" } });
    expect(response.status()).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found", message: "Metrics are off: set METRICS_TOKEN to turn them on" });
  });

  test("a wrong password does not sign in", async ({ request }) => {
    const response = await loginOverHttp(request, e2eUsers.viewer.email, "not-the-password");
    expect(response.status()).toBe(401);
    expect((await request.get("/api/overview")).status()).toBe(401);
  });
});

test.describe("as a viewer", () => {
  test.beforeEach(async ({ request }) => {
    expect((await loginOverHttp(request, e2eUsers.viewer.email, e2eUsers.viewer.password)).ok()).toBe(true);
  });

  test("reads the overview", async ({ request }) => {
    const response = await request.get("/api/overview");
    expect(response.status()).toBe(200);
    const overview = (await response.json()) as { tables: { table: string; rows: number }[]; hasData: boolean };
    expect(overview.tables.find((row) => row.table === "users")?.rows).toBe(Object.keys(e2eUsers).length);
    expect(overview.hasData).toBe(true);
    expect(overview.tables.find((row) => row.table === "peak_investigation")?.rows).toBeGreaterThan(0);
  });

  test("gets 403 on the admin routes", async ({ request }) => {
    const list = await request.get("/api/users");
    expect(list.status()).toBe(403);
    expect(await list.json()).toMatchObject({ error: "forbidden" });
    const create = await request.post("/api/users", { data: { email: "sneaky@e2e.test", role: "admin" } });
    expect(create.status()).toBe(403);
  });
});

test.describe("as an admin", () => {
  test.beforeEach(async ({ request }) => {
    expect((await loginOverHttp(request, e2eUsers.admin.email, e2eUsers.admin.password)).ok()).toBe(true);
  });

  test("lists users and creates one, with a generated password shown once", async ({ request }) => {
    const created = await request.post("/api/users", { data: { email: "new.analyst@e2e.test", role: "analyst" } });
    expect(created.status()).toBe(201);
    const body = (await created.json()) as { user: { email: string; role: string }; generatedPassword: string };
    expect(body.user).toMatchObject({ email: "new.analyst@e2e.test", role: "analyst" });
    expect(body.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const list = (await (await request.get("/api/users")).json()) as { users: { email: string }[] };
    expect(list.users.map((user) => user.email)).toContain("new.analyst@e2e.test");
    expect(JSON.stringify(list)).not.toContain("passwordHash");
  });

  test("gets 400 naming the fields of an invalid request, and 409 for a duplicate", async ({ request }) => {
    const invalid = await request.post("/api/users", { data: { email: "nope", role: "owner" } });
    expect(invalid.status()).toBe(400);
    const body = (await invalid.json()) as { error: string; details: { path: string }[] };
    expect(body.error).toBe("invalid_input");
    expect(body.details.map((detail) => detail.path).sort()).toEqual(["email", "role"]);
    const duplicate = await request.post("/api/users", { data: { email: e2eUsers.viewer.email, role: "viewer" } });
    expect(duplicate.status()).toBe(409);
  });
});

test("failed sign-ins are rate-limited", async ({ request }) => {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const response = await loginOverHttp(request, e2eUsers.lockout.email, "wrong-password");
    expect((await response.json()) as { url: string }).toMatchObject({ url: expect.stringContaining("error=CredentialsSignin") });
  }
  const limited = await loginOverHttp(request, e2eUsers.lockout.email, e2eUsers.lockout.password);
  expect(((await limited.json()) as { url: string }).url).toContain("error=RateLimited");
  expect((await request.get("/api/overview")).status()).toBe(401);
});
