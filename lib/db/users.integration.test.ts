import { beforeEach, describe, expect, it } from "vitest";
import { authenticateWithPassword } from "@/lib/auth/authenticate";
import { verifyPassword } from "@/lib/auth/password";
import { cliActor, type Actor } from "@/lib/auth/roles";
import { ConflictError, ForbiddenError, InvalidInputError, RateLimitedError, UnauthenticatedError } from "@/lib/errors";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { createUser, ensureBootstrapAdmin, listUsers } from "./users";

const policy = { maxFailedLogins: 3, windowMinutes: 15 };
const t0 = new Date("2026-11-28T10:00:00Z");
const minutesAfter = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe.each(databaseKinds)("users and sign-in on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  beforeEach(async () => {
    await db().prisma.$executeRawUnsafe("TRUNCATE users, audit_log, login_failures RESTART IDENTITY CASCADE");
  });

  it("creates the first admin once and never again", async () => {
    const first = await ensureBootstrapAdmin(db().prisma, "Admin@Example.com");
    expect(first?.email).toBe("admin@example.com");
    expect(first?.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const stored = await db().prisma.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    expect(stored.role).toBe("admin");
    expect(stored.passwordHash).not.toContain(first!.password);
    expect(await verifyPassword(first!.password, stored.passwordHash)).toBe(true);
    expect(await ensureBootstrapAdmin(db().prisma, "admin@example.com")).toBeNull();
    expect(await db().prisma.user.count()).toBe(1);
  });

  it("lets only admins create and list users, and audits the creation", async () => {
    const { user, generatedPassword } = await createUser(db().prisma, cliActor, { email: "Ana@Example.com", role: "analyst" });
    expect(user).toMatchObject({ email: "ana@example.com", role: "analyst", hasPassword: true });
    expect(generatedPassword).toHaveLength(24);
    const analyst: Actor = { kind: "user", id: user.id, email: user.email, name: null, role: "analyst" };
    await expect(createUser(db().prisma, analyst, { email: "x@example.com", role: "viewer" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listUsers(db().prisma, analyst)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listUsers(db().prisma, null as unknown as Actor)).rejects.toBeInstanceOf(UnauthenticatedError);
    expect((await listUsers(db().prisma, cliActor)).map((row) => row.email)).toEqual(["ana@example.com"]);
    const audit = await db().prisma.auditLog.findMany();
    expect(audit).toMatchObject([{ actor: "cli", action: "user.create", entityType: "user", entityId: String(user.id) }]);
  });

  it("refuses a duplicate e-mail and invalid input without writing anything", async () => {
    await createUser(db().prisma, cliActor, { email: "vic@example.com", role: "viewer", password: "long-enough-1" });
    await expect(createUser(db().prisma, cliActor, { email: "VIC@example.com", role: "admin" })).rejects.toBeInstanceOf(ConflictError);
    await expect(createUser(db().prisma, cliActor, { email: "not-an-email", role: "viewer", password: "short" })).rejects.toThrow(
      expect.objectContaining({
        constructor: InvalidInputError,
        message: "email: must be an e-mail address; password: must be at least 10 characters",
      }),
    );
    expect(await db().prisma.user.count()).toBe(1);
    expect(await db().prisma.auditLog.count()).toBe(1);
  });

  it("signs in with the right password and records the time", async () => {
    await createUser(db().prisma, cliActor, { email: "ana@example.com", role: "analyst", password: "right-password" });
    const user = await authenticateWithPassword(db().prisma, policy, {
      email: " ANA@example.com ",
      password: "right-password",
      clientAddress: "10.0.0.1",
      now: t0,
    });
    expect(user).toMatchObject({ email: "ana@example.com", role: "analyst" });
    const stored = await db().prisma.user.findUniqueOrThrow({ where: { email: "ana@example.com" } });
    expect(stored.lastLoginAt?.toISOString()).toBe(t0.toISOString());
  });

  it("refuses wrong passwords, unknown e-mails and disabled accounts alike", async () => {
    await createUser(db().prisma, cliActor, { email: "ana@example.com", role: "analyst", password: "right-password" });
    const attempt = { clientAddress: "10.0.0.1", now: t0 };
    expect(await authenticateWithPassword(db().prisma, policy, { ...attempt, email: "ana@example.com", password: "wrong" })).toBeNull();
    expect(await authenticateWithPassword(db().prisma, policy, { ...attempt, email: "nobody@example.com", password: "x" })).toBeNull();
    await db().prisma.user.update({ where: { email: "ana@example.com" }, data: { isDisabled: true } });
    expect(
      await authenticateWithPassword(db().prisma, policy, { ...attempt, email: "ana@example.com", password: "right-password" }),
    ).toBeNull();
  });

  it("rate-limits failed sign-ins per e-mail and client address, and forgets them after the window", async () => {
    await createUser(db().prisma, cliActor, { email: "ana@example.com", role: "analyst", password: "right-password" });
    const wrong = (minutes: number, clientAddress = "10.0.0.1") =>
      authenticateWithPassword(db().prisma, policy, { email: "ana@example.com", password: "wrong", clientAddress, now: minutesAfter(minutes) });
    expect(await wrong(0)).toBeNull();
    expect(await wrong(1)).toBeNull();
    expect(await wrong(2)).toBeNull();
    // Even the right password is refused while limited.
    const limited = authenticateWithPassword(db().prisma, policy, {
      email: "ana@example.com",
      password: "right-password",
      clientAddress: "10.0.0.1",
      now: minutesAfter(3),
    });
    await expect(limited).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limited).rejects.toMatchObject({ retryAfterSeconds: 12 * 60 });
    // Another client address is counted separately.
    expect(await wrong(3, "10.0.0.2")).toBeNull();
    // Once the oldest failure leaves the window, sign-in works again and clears the count.
    const user = await authenticateWithPassword(db().prisma, policy, {
      email: "ana@example.com",
      password: "right-password",
      clientAddress: "10.0.0.1",
      now: minutesAfter(15.5),
    });
    expect(user?.email).toBe("ana@example.com");
    expect(await db().prisma.loginFailure.count({ where: { key: "ana@example.com|10.0.0.1" } })).toBe(0);
  });
});
