import { describe, expect, it, vi } from "vitest";
import type { ErrorBody } from "@/lib/http/route";
import * as catchAll from "./route";

// route.ts imports the session module (next-auth and the database client) for `route`, which
// the catch-all does not use; a stub keeps the test free of both.
vi.mock("@/lib/auth/session", () => ({ requireActor: vi.fn() }));

describe("the API's catch-all route", () => {
  const methods = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"] as const;

  it.each(methods)("answers %s with a JSON 404 in the API's error shape", async (method) => {
    const response = catchAll[method]();
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect((await response.json()) as ErrorBody).toEqual({ error: "not_found", message: "No such API route" });
  });

  it("exports every method a route handler can, so that none falls through to the HTML page", () => {
    expect(
      Object.keys(catchAll)
        .filter((name) => /^[A-Z]+$/.test(name))
        .sort(),
    ).toEqual([...methods]);
  });
});
