import { beforeAll, describe, expect, it, vi } from "vitest";
import { getConfig } from "@/lib/config";
import type * as client from "@/lib/db/client";
import type { Database } from "@/lib/db/client";
import { UnauthenticatedError } from "@/lib/errors";
import type { ErrorBody } from "@/lib/http/route";
import type { ProblemDetail, ProblemPage } from "@/lib/problems/contract";
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

const QUARTER = 15 * 60_000;
const viewer: Actor = { kind: "user", id: 1, email: "vic@example.com", name: null, role: "viewer" };
const { pool, deadlock, deadlockMerged } = PLANNED_PATTERNS;

const list = (query: string) => listRoute(new Request(`http://localhost/api/problems${query}`));
const detail = (id: string, query = "") =>
  detailRoute(new Request(`http://localhost/api/problems/${encodeURIComponent(id)}${query}`), { params: Promise.resolve({ id }) });

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
});
