import { expect, test, type APIRequestContext } from "@playwright/test";
import { loginOverHttp } from "./support/login";
import { E2E_BASE_URL, e2eUsers } from "./support/users";

// Cross-site request forgery probes, with a valid admin session cookie: a state-changing request
// is accepted only from the dashboard's own origin, with a JSON body. Each probe tries to create
// a user (the worst thing a forged request could do) and checks that none was created.

test.describe("a state-changing request with a valid session", () => {
  test.beforeEach(async ({ request }) => {
    expect((await loginOverHttp(request, e2eUsers.admin.email, e2eUsers.admin.password)).ok()).toBe(true);
  });

  const body = (email: string) => JSON.stringify({ email, role: "admin" });
  const userExists = async (request: APIRequestContext, email: string) =>
    ((await (await request.get("/api/users")).json()) as { users: { email: string }[] }).users.some((user) => user.email === email);

  test("from another origin is refused with 403 and a reason, and changes nothing", async ({ request }) => {
    const response = await request.post("/api/users", {
      data: body("forged-origin@e2e.test"),
      headers: { Origin: "http://evil.example", "Content-Type": "application/json" },
    });
    expect(response.status()).toBe(403);
    expect(await response.json()).toEqual({
      error: "forbidden",
      message: `Cross-origin request refused: Origin "http://evil.example" is not this dashboard (${E2E_BASE_URL})`,
    });
    expect(await userExists(request, "forged-origin@e2e.test")).toBe(false);
  });

  test("from another port of the same host (same-site) is refused", async ({ request }) => {
    const response = await request.post("/api/users", {
      data: body("forged-port@e2e.test"),
      headers: { Origin: "http://localhost:3999", "Sec-Fetch-Site": "same-site", "Content-Type": "application/json" },
    });
    expect(response.status()).toBe(403);
    expect(await userExists(request, "forged-port@e2e.test")).toBe(false);
  });

  test("as text/plain (what an HTML form sends without asking) is refused, even from the own origin", async ({ request }) => {
    const response = await request.post("/api/users", { data: body("forged-text@e2e.test"), headers: { "Content-Type": "text/plain" } });
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { message: string }).message).toBe(
      "Request refused: the body must be JSON sent as Content-Type: application/json, not text/plain",
    );
    expect(await userExists(request, "forged-text@e2e.test")).toBe(false);
  });

  test("without an Origin header is refused, saying what to send", async ({ request }) => {
    const response = await request.post("/api/users", { data: body("forged-none@e2e.test"), headers: { Origin: "", "Content-Type": "application/json" } });
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { message: string }).message).toMatch(/carries no Origin header; scripts send "Origin: /);
  });

  test("from the own origin with JSON is accepted", async ({ request }) => {
    const email = `same-origin-${Date.now()}@e2e.test`;
    const response = await request.post("/api/users", { data: JSON.parse(body(email)) as object, headers: { Origin: E2E_BASE_URL } });
    expect(response.status()).toBe(201);
    expect(await userExists(request, email)).toBe(true);
  });
});

test("a pattern merge or split from another origin is refused and makes no rule", async ({ request }) => {
  expect((await loginOverHttp(request, e2eUsers.admin.email, e2eUsers.admin.password)).ok()).toBe(true);
  const { patterns } = (await (await request.get("/api/patterns?limit=2")).json()) as { patterns: { hash: string }[] };
  expect(patterns, "the e2e sample has two patterns").toHaveLength(2);
  const [into, member] = patterns as [{ hash: string }, { hash: string }];
  const rulesNaming = async (hash: string) => ((await (await request.get(`/api/patterns/rules?hash=${hash}`)).json()) as unknown[]).length;
  const [memberRules, intoRules] = [await rulesNaming(member.hash), await rulesNaming(into.hash)];
  const forged = { Origin: "http://evil.example", "Content-Type": "application/json" };
  const merge = await request.post("/api/patterns/merge", { data: JSON.stringify({ members: [member.hash], into: into.hash }), headers: forged });
  expect(merge.status()).toBe(403);
  expect(((await merge.json()) as { message: string }).message).toMatch(/^Cross-origin request refused/);
  const split = await request.post(`/api/patterns/${into.hash}/split`, { data: JSON.stringify({ regex: "timeout" }), headers: forged });
  expect(split.status()).toBe(403);
  expect([await rulesNaming(member.hash), await rulesNaming(into.hash)]).toEqual([memberRules, intoRules]);
});

test("a scheduled-job route keeps its bearer secret and needs no Origin", async ({ request }) => {
  const response = await request.get("/api/cron/maintenance", { headers: { Origin: "" } });
  expect(response.status()).toBe(401);
});
