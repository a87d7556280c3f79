import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Every API route handler is built by one of the guarded wrappers, read from the source as it
// is: `route` (same-origin check for state-changing methods, role, zod input) or `cronRoute`
// (bearer secret). A handler written by hand would skip the cross-origin refusal that
// e2e/forgery.api.spec.ts probes on one route, so no route may have one unless listed here with
// its reason.

const root = path.resolve(import.meta.dirname, "..");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Route files whose handlers are not built by a wrapper, and why that is safe. */
const UNWRAPPED: Record<string, string> = {
  "app/api/[...path]/route.ts": "answers 404 for any path no route claims; reads nothing, changes nothing",
  "app/api/auth/[...nextauth]/route.ts": "next-auth's own handler, with its own CSRF token on every state-changing request",
  "app/api/health/route.ts": "liveness for load balancers: answers that the process runs, reads and changes nothing, needs no session",
  "app/api/metrics/route.ts": "Prometheus scrapes with a bearer token (METRICS_TOKEN, compared like CRON_SECRET); reads only, 404 while no token is set",
  "app/api/health/ready/route.ts": "readiness for load balancers: pings the database and Elasticsearch, changes nothing, needs no session",
};

function routeFiles(folder: string): string[] {
  return readdirSync(path.join(root, folder)).flatMap((name) => {
    const relative = path.posix.join(folder, name);
    if (statSync(path.join(root, relative)).isDirectory()) return routeFiles(relative);
    return name === "route.ts" ? [relative] : [];
  });
}

/** The methods a route file exports, with the expression that builds each handler. */
function handlers(source: string): { method: string; builtBy: string }[] {
  const found: { method: string; builtBy: string }[] = [];
  for (const method of METHODS) {
    const constant = new RegExp(`export const ${method}\\s*=\\s*(\\w+)\\(`).exec(source);
    if (constant) found.push({ method, builtBy: constant[1]! });
    else if (new RegExp(`export (async )?function ${method}\\b`).test(source)) found.push({ method, builtBy: "function" });
    else if (new RegExp(`\\bas ${method}\\b`).test(source)) found.push({ method, builtBy: "re-export" });
  }
  return found;
}

describe("API route handlers", () => {
  const files = routeFiles("app/api");

  it("are found (the scan reads the route tree)", () => {
    expect(files.length).toBeGreaterThan(30);
    expect(files).toContain("app/api/patterns/merge/route.ts");
  });

  it("are all built by route() or cronRoute(), except the listed ones", () => {
    const unguarded = files.flatMap((file) => {
      if (file in UNWRAPPED) return [];
      const built = handlers(readFileSync(path.join(root, file), "utf8"));
      const wrongly = built.filter(({ builtBy }) => builtBy !== "route" && builtBy !== "cronRoute");
      return [...wrongly.map(({ method, builtBy }) => `${file} ${method} (built by ${builtBy})`), ...(built.length === 0 ? [`${file}: no handler found`] : [])];
    });
    expect(unguarded).toEqual([]);
  });

  it("of the scheduled jobs answer GET only, behind the bearer secret", () => {
    const cron = files.filter((file) => file.startsWith("app/api/cron/"));
    expect(cron.length).toBeGreaterThan(0);
    for (const file of cron) expect(handlers(readFileSync(path.join(root, file), "utf8"))).toEqual([{ method: "GET", builtBy: "cronRoute" }]);
  });

  it("that change state never use cronRoute (it checks no origin)", () => {
    const misuse = files.flatMap((file) =>
      handlers(readFileSync(path.join(root, file), "utf8"))
        .filter(({ method, builtBy }) => builtBy === "cronRoute" && method !== "GET")
        .map(({ method }) => `${file} ${method}`),
    );
    expect(misuse).toEqual([]);
  });

  it("listed as unwrapped still exist (the list stays true)", () => {
    for (const file of Object.keys(UNWRAPPED)) expect(files).toContain(file);
  });
});
