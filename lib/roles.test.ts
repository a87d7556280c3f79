import { describe, expect, it } from "vitest";
import { actorLabel, assertRole, cliActor, hasRole, sampleDataActor, type Actor, type Role } from "@/lib/roles";
import { ForbiddenError, UnauthenticatedError } from "@/lib/errors";

function user(role: Role): Actor {
  return { kind: "user", id: 7, email: `${role}@example.com`, name: null, role };
}

describe("hasRole (viewer < analyst < admin)", () => {
  const matrix: [role: Role, required: Role, expected: boolean][] = [
    ["viewer", "viewer", true],
    ["viewer", "analyst", false],
    ["viewer", "admin", false],
    ["analyst", "viewer", true],
    ["analyst", "analyst", true],
    ["analyst", "admin", false],
    ["admin", "viewer", true],
    ["admin", "analyst", true],
    ["admin", "admin", true],
  ];

  it.each(matrix)("%s meets %s: %s", (role, required, expected) => {
    expect(hasRole(role, required)).toBe(expected);
  });
});

describe("assertRole", () => {
  it("throws UnauthenticatedError for no actor", () => {
    expect(() => assertRole(null, "viewer")).toThrow(UnauthenticatedError);
  });

  it("throws ForbiddenError for a viewer asserting analyst, naming both roles", () => {
    let caught: unknown;
    try {
      assertRole(user("viewer"), "analyst");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ForbiddenError);
    expect((caught as ForbiddenError).code).toBe("forbidden");
    expect((caught as ForbiddenError).message).toBe("This needs the analyst role; you are a viewer");
  });

  it("uses 'an' for an analyst asserting admin", () => {
    expect(() => assertRole(user("analyst"), "admin")).toThrow("This needs the admin role; you are an analyst");
  });

  it("passes a user with exactly the required role", () => {
    expect(() => assertRole(user("analyst"), "analyst")).not.toThrow();
  });

  it("passes a user with a higher role", () => {
    expect(() => assertRole(user("admin"), "viewer")).not.toThrow();
  });

  it("passes cliActor for admin", () => {
    expect(() => assertRole(cliActor, "admin")).not.toThrow();
  });
});

describe("cliActor and actorLabel", () => {
  it("cliActor is a frozen admin", () => {
    expect(cliActor).toEqual({ kind: "cli", role: "admin" });
    expect(Object.isFrozen(cliActor)).toBe(true);
  });

  it("labels the CLI as cli", () => {
    expect(actorLabel(cliActor)).toBe("cli");
  });

  it("labels a user by e-mail", () => {
    expect(actorLabel(user("viewer"))).toBe("viewer@example.com");
  });

  it("labels the sample data's system actor by its name, with an analyst's rights only", () => {
    expect(actorLabel(sampleDataActor)).toBe("sample data");
    expect(Object.isFrozen(sampleDataActor)).toBe(true);
    expect(() => assertRole(sampleDataActor, "analyst")).not.toThrow();
    expect(() => assertRole(sampleDataActor, "admin")).toThrow("This needs the admin role; you are an analyst");
  });
});
