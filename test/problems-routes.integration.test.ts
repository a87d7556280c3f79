import { beforeAll, describe, expect, it, vi } from "vitest";
import { getConfig } from "@/lib/config";
import type * as client from "@/lib/db/client";
import type { Database } from "@/lib/db/client";
import { UnauthenticatedError } from "@/lib/errors";
import type { ErrorBody } from "@/lib/http/route";
import type { ProblemDetail, ProblemKnownIssueResult, ProblemPage } from "@/lib/problems/contract";
import type { Actor } from "@/lib/roles";
import { PLANNED_PATTERNS, seedPlannedProblems } from "@/test/support/problem-rows";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";

// GET /api/problems and /api/problems/:id through their route handlers, as a request reaches them:
// the session (stubbed: a viewer, or none), the query and path parsed with the contract, the
// use case on a real database, errors mapped to statuses.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/session", async () => {
  const { UnauthenticatedError: Unauthenticated } = await import("@/lib/errors");
  return {
    requireActor: () => {
      if (!session.actor) throw new Unauthenticated();
      return Promise.resolve(session.actor);
    },
  };
});
const current = vi.hoisted(() => ({ database: null as Database | null }));
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof client>()),
  getDatabase: () => Promise.resolve(current.database!),
}));

const { GET: listRoute } = await import("@/app/api/problems/route");
const { GET: detailRoute } = await import("@/app/api/problems/[id]/route");
const { POST: knownIssueRoute } = await import("@/app/api/problems/[id]/known-issue/route");

const QUARTER = 15 * 60_000;
const viewer: Actor = { kind: "user", id: 1, email: "vic@example.com", name: null, role: "viewer" };
const { pool, deadlock, deadlockMerged, nullPointer, signingKey } = PLANNED_PATTERNS;

const list = (query: string) => listRoute(new Request(`http://localhost/api/problems${query}`));
const detail = (id: string, query = "") =>
  detailRoute(new Request(`http://localhost/api/problems/${encodeURIComponent(id)}${query}`), { params: Promise.resolve({ id }) });

/** POST /api/problems/:id/known-issue as the dashboard sends it: JSON from its own origin (Sec-Fetch-Site), unless `headers` say otherwise. */
const createKnownIssue = (id: string, body: unknown, headers: Record<string, string> = { "sec-fetch-site": "same-origin" }) =>
  knownIssueRoute(
    new Request(`http://localhost/api/problems/${encodeURIComponent(id)}/known-issue`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id }) },
  );

describe.each(databaseKinds)("the problems routes on %s", (kind) => {
  const db = useMigratedDatabase(kind);

  beforeAll(async () => {
    current.database = db();
    // The routes' period ends when they answer: the planned windows end at the last quarter hour.
    await seedPlannedProblems(db(), getConfig(), new Date(Math.floor(Date.now() / QUARTER) * QUARTER));
  });

  it("answers 401 without a session", async () => {
    session.actor = null;
    for (const response of [await list(""), await detail(`${pool}-timeout`)]) {
      expect(response.status).toBe(401);
      expect((await response.json()) as ErrorBody).toEqual({ error: "unauthenticated", message: new UnauthenticatedError().message });
    }
  });

  it("lists a viewer the period's problems with the default period and page", async () => {
    session.actor = viewer;
    const response = await list("");
    expect(response.status).toBe(200);
    const page = (await response.json()) as ProblemPage;
    expect(page).toMatchObject({ total: 7, offset: 0, limit: 50, nextOffset: null, period: { since: "24h" } });
    expect(page.problems[0]).toMatchObject({ id: `${pool}-timeout`, scope: { kind: "systemic" } });
    const filtered = (await (await list("?since=7d&scope=single&known=false&q=inventory&limit=1")).json()) as ProblemPage;
    expect(filtered.problems.map((problem) => problem.id)).toEqual([`${deadlock}-database`]);
  });

  it("answers 400 naming the field for a period, page, scope or filter out of bounds", async () => {
    session.actor = viewer;
    const cases: [string, string][] = [
      ["?since=1w", "since"],
      ["?since=91d", "since"],
      ["?limit=0", "limit"],
      ["?limit=201", "limit"],
      ["?offset=-1", "offset"],
      ["?scope=wide", "scope"],
      ["?known=maybe", "known"],
      [`?q=${"x".repeat(201)}`, "q"],
      ["?q=a%00b", "q"],
    ];
    for (const [query, field] of cases) {
      const response = await list(query);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as ErrorBody & { details: { path: string }[] };
      expect(body.error, query).toBe("invalid_input");
      expect(
        body.details.map((detail) => detail.path),
        query,
      ).toContain(field);
    }
  });

  it("gives one problem by its id, 404 for an unknown or merged one, 400 for a text that is no problem id", async () => {
    session.actor = viewer;
    const found = await detail(`${deadlock}-database`, "?since=7d");
    expect(found.status).toBe(200);
    const problem = (await found.json()) as ProblemDetail;
    expect(problem).toMatchObject({ id: `${deadlock}-database`, patternIds: [deadlock, deadlockMerged], incidentTotal: 4, period: { since: "7d" } });

    const unknown = await detail("ffffffffffffff-timeout");
    expect(unknown.status).toBe(404);
    expect((await unknown.json()) as ErrorBody).toEqual({ error: "not_found", message: "Problem ffffffffffffff-timeout does not exist" });
    const merged = await detail(`${deadlockMerged}-database`);
    expect(merged.status).toBe(404);
    expect(((await merged.json()) as ErrorBody).message).toContain(`part of problem ${deadlock}-database`);

    const malformed = await detail("no problem/here");
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { details: { path: string }[] }).details.map((entry) => entry.path)).toEqual(["id"]);
    expect((await detail(`${pool}-timeout`, "?since=0h")).status).toBe(400);
  });

  // Last: it writes a known issue.
  it("creates a known issue from a problem for an analyst (201), refuses a viewer (403), another origin (403), a known problem (409) and a bad body (400)", async () => {
    const id = `${nullPointer}-null_pointer`;
    const user = await db().prisma.user.create({ data: { email: "ana@example.com", passwordHash: "x", role: "analyst" } });
    const analyst: Actor = { kind: "user", id: user.id, email: user.email, name: null, role: "analyst" };
    session.actor = viewer;
    expect((await createKnownIssue(id, { title: "Cart NPE" })).status).toBe(403);
    session.actor = analyst;
    const foreign = await createKnownIssue(id, { title: "Cart NPE" }, { "sec-fetch-site": "cross-site" });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as ErrorBody).message).toContain("Cross-origin request refused");
    const invalid = await createKnownIssue(id, { title: "", scope: "app" });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { details: { path: string }[] }).details.map((entry) => entry.path).sort()).toEqual(["scope", "title"]);

    const created = await createKnownIssue(id, { title: "Cart NPE", description: "CartService.total dereferences a missing price" });
    expect(created.status).toBe(201);
    const result = (await created.json()) as ProblemKnownIssueResult;
    expect(result).toMatchObject({ knownIssue: { title: "Cart NPE", status: "active" }, skippedIncidents: [] });
    expect(result.attachedIncidentIds).toHaveLength(2);
    session.actor = viewer;
    expect(((await (await detail(id)).json()) as ProblemDetail).knownIssue).toEqual(result.knownIssue);

    session.actor = analyst;
    for (const known of [id, `${signingKey}-auth`]) {
      const again = await createKnownIssue(known, { title: "Again" });
      expect(again.status, known).toBe(409);
      expect(((await again.json()) as ErrorBody).message, known).toContain("already has known issue");
    }
    expect((await createKnownIssue("no problem/here", { title: "x" })).status).toBe(400);
  });
});
