import { beforeEach, describe, expect, it, vi } from "vitest";
import { errorResponse, pathOfNulCharacter, type ErrorBody } from "@/lib/http/route";
import { ForbiddenError, InvalidInputError, NotFoundError, RateLimitedError, UnauthenticatedError } from "@/lib/errors";

// route.ts imports the session module (next-auth and the database client) for `route`, which
// these tests do not use; a stub keeps the test free of both.
vi.mock("@/lib/auth/session", () => ({ requireActor: vi.fn() }));
const logged = vi.hoisted(() => ({ error: vi.fn() }));
vi.mock("@/lib/log", () => ({ getLogger: () => logged }));

describe("errorResponse", () => {
  beforeEach(() => {
    logged.error.mockClear();
  });

  it("answers a ForbiddenError with 403 and its code and message as JSON", async () => {
    const response = errorResponse(new ForbiddenError("This needs the admin role; you are a viewer"));
    expect(response.status).toBe(403);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ error: "forbidden", message: "This needs the admin role; you are a viewer" });
  });

  it("does not log an expected AppError", () => {
    errorResponse(new ForbiddenError());
    expect(logged.error).not.toHaveBeenCalled();
  });

  it("answers an UnauthenticatedError with 401", async () => {
    const response = errorResponse(new UnauthenticatedError());
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "unauthenticated", message: "Sign in to continue" });
  });

  it("answers a NotFoundError with 404 and no Retry-After header", () => {
    const response = errorResponse(new NotFoundError("No such user"));
    expect(response.status).toBe(404);
    expect(response.headers.get("Retry-After")).toBeNull();
  });

  it("answers a RateLimitedError with 429 and a Retry-After header", async () => {
    const response = errorResponse(new RateLimitedError("Too many failed sign-ins", 120));
    expect(response.status).toBe(429);
    expect(response.headers.get("Retry-After")).toBe("120");
    expect(await response.json()).toEqual({ error: "rate_limited", message: "Too many failed sign-ins" });
  });

  it("includes details when the error has them", async () => {
    const details = [{ path: "email", message: "must be an e-mail address" }];
    const response = errorResponse(new InvalidInputError("The request is not valid", details));
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body).toEqual({ error: "invalid_input", message: "The request is not valid", details });
  });

  it("answers an unknown Error with 500 and a generic message that does not leak the original", async () => {
    const secret = "connect ECONNREFUSED 10.0.0.5:5432 password=hunter2";
    const original = new Error(secret);
    const response = errorResponse(original);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("ECONNREFUSED");
    const body = JSON.parse(text) as ErrorBody;
    expect(body.error).toBe("internal_error");
    expect(body.message).toMatch(/^Something went wrong\. The server log has the details \(request [0-9a-f-]{36}\)\.$/);
    expect(body).not.toHaveProperty("details");
  });

  it("logs an unknown Error with the request and the id its answer names", async () => {
    const original = new Error("boom");
    const response = errorResponse(original, new Request("http://localhost/api/peaks/4?x=1", { method: "POST" }));
    const { message } = (await response.json()) as ErrorBody;
    expect(logged.error).toHaveBeenCalledTimes(1);
    const [fields] = logged.error.mock.calls[0] as [{ err: unknown; requestId: string; method: string; path: string }];
    expect(fields).toMatchObject({ err: original, method: "POST", path: "/api/peaks/4" });
    expect(message).toContain(fields.requestId);
  });

  it("answers a thrown non-Error value with 500", async () => {
    const response = errorResponse("a string was thrown");
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("a string was thrown");
    expect(logged.error).toHaveBeenCalled();
  });

  it("answers an error that only looks like an AppError (plain object with code) with 500", async () => {
    const response = errorResponse({ code: "forbidden", message: "spoofed" });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("spoofed");
  });
});

describe("pathOfNulCharacter", () => {
  it("names the first text holding a NUL character, in bodies, arrays and keys", () => {
    expect(pathOfNulCharacter({ title: "fine", regexes: ["a", "b\u0000c"] })).toBe("regexes.1");
    expect(pathOfNulCharacter({ nested: { ["k\u0000"]: 1 } })).toBe("nested.k\u0000");
    expect(pathOfNulCharacter("\u0000")).toBe("(body)");
    expect(pathOfNulCharacter({ title: "fine", count: 3, list: [1, null, { a: "ok" }] })).toBeNull();
  });
});
