import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  appErrorCodes,
  ConflictError,
  exitCodeByCode,
  ForbiddenError,
  httpStatusByCode,
  InvalidInputError,
  isAppError,
  parseInput,
  RateLimitedError,
  type AppErrorCode,
} from "@/lib/errors";

describe("httpStatusByCode", () => {
  const expected: Record<AppErrorCode, number> = {
    unauthenticated: 401,
    forbidden: 403,
    not_found: 404,
    invalid_input: 400,
    conflict: 409,
    rate_limited: 429,
    configuration: 500,
    migration: 500,
    unavailable: 503,
  };

  it.each(appErrorCodes.map((code) => [code, expected[code]] as const))("maps %s to %i", (code, status) => {
    expect(httpStatusByCode[code]).toBe(status);
  });

  it("has exactly one entry per code", () => {
    expect(Object.keys(httpStatusByCode).sort()).toEqual([...appErrorCodes].sort());
  });

  it("is frozen", () => {
    expect(Object.isFrozen(httpStatusByCode)).toBe(true);
  });
});

describe("exitCodeByCode", () => {
  it.each(appErrorCodes.map((code) => [code] as const))("maps %s to an integer other than 0 and 1", (code) => {
    const exitCode = exitCodeByCode[code];
    expect(Number.isInteger(exitCode)).toBe(true);
    expect(exitCode).toBeGreaterThan(1);
    expect(exitCode).toBeLessThan(126);
  });

  it("maps invalid_input to the usage exit code 2", () => {
    expect(exitCodeByCode.invalid_input).toBe(2);
  });

  it("has exactly one entry per code", () => {
    expect(Object.keys(exitCodeByCode).sort()).toEqual([...appErrorCodes].sort());
  });
});

describe("AppError subclasses", () => {
  it("carry their code and class name", () => {
    const error = new ConflictError("taken");
    expect(error.code).toBe("conflict");
    expect(error.name).toBe("ConflictError");
    expect(error.message).toBe("taken");
    expect(isAppError(error)).toBe(true);
  });

  it("ForbiddenError has a default message", () => {
    expect(new ForbiddenError().message).toBe("Your role does not allow this");
  });

  it("RateLimitedError keeps retryAfterSeconds", () => {
    expect(new RateLimitedError("slow down", 42).retryAfterSeconds).toBe(42);
  });

  it("isAppError is false for a plain Error", () => {
    expect(isAppError(new Error("x"))).toBe(false);
  });
});

describe("parseInput", () => {
  const schema = z.object({
    email: z.email("must be an e-mail address"),
    age: z.number().int().min(18, "must be at least 18"),
    tags: z.array(z.string()).optional(),
  });

  it("returns the parsed data", () => {
    expect(parseInput(schema, { email: "ann@example.com", age: 30, extra: true })).toEqual({ email: "ann@example.com", age: 30 });
  });

  it("returns transformed output", () => {
    expect(
      parseInput(
        z.string().transform((value) => value.length),
        "four",
      ),
    ).toBe(4);
  });

  it("throws InvalidInputError listing 'field: message' for each failing field", () => {
    let caught: unknown;
    try {
      parseInput(schema, { email: "nope", age: 12 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    const error = caught as InvalidInputError;
    expect(error.code).toBe("invalid_input");
    expect(error.message).toBe("email: must be an e-mail address; age: must be at least 18");
  });

  it("puts {path, message} for each problem in details", () => {
    expect(() => parseInput(schema, { email: "nope", age: 12 })).toThrow(
      expect.objectContaining({
        details: [
          { path: "email", message: "must be an e-mail address" },
          { path: "age", message: "must be at least 18" },
        ],
      }),
    );
  });

  it("joins nested paths with dots", () => {
    expect(() => parseInput(schema, { email: "ann@example.com", age: 20, tags: ["ok", 5] })).toThrow(
      expect.objectContaining({ details: [{ path: "tags.1", message: expect.any(String) }] }),
    );
  });

  it("uses the bare message for a problem at the root", () => {
    expect(() => parseInput(z.string().min(3, "too short"), "ab")).toThrow(
      expect.objectContaining({ message: "too short", details: [{ path: "", message: "too short" }] }),
    );
  });
});
