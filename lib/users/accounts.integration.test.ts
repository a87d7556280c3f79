import { beforeEach, describe, expect, it } from "vitest";
import { authenticateWithPassword } from "@/lib/auth/authenticate";
import { verifyPassword } from "@/lib/auth/password";
import { cliActor, type Actor } from "@/lib/roles";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, RateLimitedError, UnauthenticatedError } from "@/lib/errors";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { changeUser, createUser, deleteUser, ensureBootstrapAdmin, findUserId, listUsers, resetUserPassword } from "@/lib/users/accounts";
import { endUserSessions } from "@/lib/db/users";

const policy = { maxFailedLogins: 3, windowMinutes: 15, maxFailedLoginsPerAddress: 5 };
const t0 = new Date("2026-11-28T10:00:00Z");
const minutesAfter = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe.each(databaseKinds)("users and sign-in on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  beforeEach(async () => {
    await db().prisma.$executeRawUnsafe("TRUNCATE users, audit_log, login_failures RESTART IDENTITY CASCADE");
  });

  it("creates the first admin once and never again", async () => {
    const first = await ensureBootstrapAdmin(db(), "Admin@Example.com");
    expect(first?.email).toBe("admin@example.com");
    expect(first?.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const stored = await db().prisma.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    expect(stored.role).toBe("admin");
    expect(stored.passwordHash).not.toContain(first!.password);
    expect(await verifyPassword(first!.password, stored.passwordHash)).toBe(true);
    expect(await ensureBootstrapAdmin(db(), "admin@example.com")).toBeNull();
    expect(await db().prisma.user.count()).toBe(1);
  });

  it("lets only admins create and list users, and audits the creation", async () => {
    const { user, generatedPassword } = await createUser(db(), cliActor, { email: "Ana@Example.com", role: "analyst" });
    expect(user).toMatchObject({ email: "ana@example.com", role: "analyst", hasPassword: true });
    expect(generatedPassword).toHaveLength(24);
    const analyst: Actor = { kind: "user", id: user.id, email: user.email, name: null, role: "analyst" };
    await expect(createUser(db(), analyst, { email: "x@example.com", role: "viewer" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listUsers(db(), analyst)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listUsers(db(), null as unknown as Actor)).rejects.toBeInstanceOf(UnauthenticatedError);
    expect((await listUsers(db(), cliActor)).map((row) => row.email)).toEqual(["ana@example.com"]);
    const audit = await db().prisma.auditLog.findMany();
    expect(audit).toMatchObject([{ actor: "cli", action: "user.create", entityType: "user", entityId: String(user.id) }]);
  });

  it("refuses a duplicate e-mail and invalid input without writing anything", async () => {
    await createUser(db(), cliActor, { email: "vic@example.com", role: "viewer", password: "long-enough-1" });
    await expect(createUser(db(), cliActor, { email: "VIC@example.com", role: "admin" })).rejects.toBeInstanceOf(ConflictError);
    await expect(createUser(db(), cliActor, { email: "not-an-email", role: "viewer", password: "short" })).rejects.toThrow(
      expect.objectContaining({
        constructor: InvalidInputError,
        message: "email: must be an e-mail address; password: must be at least 10 characters",
      }),
    );
    expect(await db().prisma.user.count()).toBe(1);
    expect(await db().prisma.auditLog.count()).toBe(1);
  });

  it("signs in with the right password and records the time", async () => {
    await createUser(db(), cliActor, { email: "ana@example.com", role: "analyst", password: "right-password" });
    const user = await authenticateWithPassword(db(), policy, {
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
    await createUser(db(), cliActor, { email: "ana@example.com", role: "analyst", password: "right-password" });
    const attempt = { clientAddress: "10.0.0.1", now: t0 };
    expect(await authenticateWithPassword(db(), policy, { ...attempt, email: "ana@example.com", password: "wrong" })).toBeNull();
    expect(await authenticateWithPassword(db(), policy, { ...attempt, email: "nobody@example.com", password: "x" })).toBeNull();
    await db().prisma.user.update({ where: { email: "ana@example.com" }, data: { isDisabled: true } });
    expect(await authenticateWithPassword(db(), policy, { ...attempt, email: "ana@example.com", password: "right-password" })).toBeNull();
  });

  it("locks an account after repeated failures whatever the client address, with a lockout that doubles", async () => {
    await createUser(db(), cliActor, { email: "ana@example.com", role: "analyst", password: "right-password" });
    const signIn = (minutes: number, password: string, clientAddress: string) =>
      authenticateWithPassword(db(), policy, { email: "ana@example.com", password, clientAddress, now: minutesAfter(minutes) });
    // A rotating client address is no way around the account's count.
    expect(await signIn(0, "wrong", "10.0.0.1")).toBeNull();
    expect(await signIn(1, "wrong", "10.0.0.2")).toBeNull();
    expect(await signIn(2, "wrong", "10.0.0.3")).toBeNull();
    // Even the right password, from a new address, is refused while locked: 15 minutes after the last failure.
    const locked = signIn(3, "right-password", "10.0.0.4");
    await expect(locked).rejects.toBeInstanceOf(RateLimitedError);
    await expect(locked).rejects.toMatchObject({ retryAfterSeconds: 14 * 60, message: expect.stringMatching(/^This account is locked/) });
    // After the lockout, one more failure locks it for twice as long (30 minutes), then 60.
    expect(await signIn(17.5, "wrong", "10.0.0.5")).toBeNull();
    await expect(signIn(47, "right-password", "10.0.0.5")).rejects.toMatchObject({ retryAfterSeconds: 30 });
    expect(await signIn(48, "wrong", "10.0.0.6")).toBeNull();
    await expect(signIn(107, "right-password", "10.0.0.6")).rejects.toMatchObject({ retryAfterSeconds: 60 });
    // Once it has passed, the right password signs in and the account's count starts again.
    expect((await signIn(108.5, "right-password", "10.0.0.6"))?.email).toBe("ana@example.com");
    expect(await db().prisma.loginFailure.count({ where: { key: "account:ana@example.com" } })).toBe(0);
    expect(await signIn(109, "wrong", "10.0.0.6")).toBeNull();
    expect((await signIn(110, "right-password", "10.0.0.6"))?.email).toBe("ana@example.com");
  });

  it("locks unknown e-mails like real accounts, so a lockout tells nothing about who exists", async () => {
    const attempt = (email: string, minutes: number) =>
      authenticateWithPassword(db(), policy, { email, password: "guess", clientAddress: `10.1.0.${minutes}`, now: minutesAfter(minutes) });
    for (const minutes of [0, 1, 2]) expect(await attempt("nobody@example.com", minutes)).toBeNull();
    await expect(attempt("nobody@example.com", 3)).rejects.toMatchObject({ message: expect.stringMatching(/^This account is locked/) });
  });

  it("limits one client address across accounts (password spraying), an IPv6 one by its /64", async () => {
    for (const name of ["a", "b", "c", "d", "e", "f"]) {
      await createUser(db(), cliActor, { email: `${name}@example.com`, role: "viewer", password: "right-password" });
    }
    const spray = (name: string, minutes: number, clientAddress: string, password = "Winter2026!") =>
      authenticateWithPassword(db(), policy, { email: `${name}@example.com`, password, clientAddress, now: minutesAfter(minutes) });
    const addresses = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3", "2001:0db8:0001:0002::4", "2001:db8:1:2::5"];
    for (const [index, name] of ["a", "b", "c", "d", "e"].entries()) expect(await spray(name, index, addresses[index]!)).toBeNull();
    // The sixth account from the same /64 is refused before its password is checked, the right one included.
    const limited = spray("f", 5, "2001:db8:1:2::99", "right-password");
    await expect(limited).rejects.toMatchObject({ message: expect.stringMatching(/^Too many failed sign-ins from this address/), retryAfterSeconds: 10 * 60 });
    // Another network is not affected; once the oldest failure leaves the window the address may try again.
    expect((await spray("f", 5, "2001:db8:9:9::1", "right-password"))?.email).toBe("f@example.com");
    expect((await spray("f", 15.5, "2001:db8:1:2::99", "right-password"))?.email).toBe("f@example.com");
    // Without a known client address, only the account is counted.
    expect(await authenticateWithPassword(db(), policy, { email: "a@example.com", password: "x", clientAddress: null, now: minutesAfter(16) })).toBeNull();
    expect(await db().prisma.loginFailure.count({ where: { key: { startsWith: "address:" }, failedAt: { gte: minutesAfter(16) } } })).toBe(0);
  });

  it("forgets failures older than a day", async () => {
    await createUser(db(), cliActor, { email: "ana@example.com", role: "analyst", password: "right-password" });
    const wrong = (minutes: number) =>
      authenticateWithPassword(db(), policy, { email: "ana@example.com", password: "wrong", clientAddress: "10.0.0.1", now: minutesAfter(minutes) });
    expect(await wrong(0)).toBeNull();
    expect(await wrong(1)).toBeNull();
    expect(await wrong(25 * 60)).toBeNull();
    expect(await db().prisma.loginFailure.count({ where: { key: "account:ana@example.com" } })).toBe(1);
  });

  describe("the user lifecycle", () => {
    const versionOf = async (id: number) => (await db().prisma.user.findUniqueOrThrow({ where: { id } })).sessionVersion;
    const asActor = (user: { id: number; email: string; role: Actor["role"] }): Actor => ({
      kind: "user",
      id: user.id,
      email: user.email,
      name: null,
      role: user.role,
    });

    it("changes roles, disables and enables, ending sessions where access shrinks, and audits each change", async () => {
      const { user: admin } = await createUser(db(), cliActor, { email: "root@example.com", role: "admin" });
      const { user: ana } = await createUser(db(), cliActor, { email: "ana@example.com", role: "analyst" });
      const actor = asActor(admin);
      expect(await changeUser(db(), actor, ana.id, { role: "viewer" })).toMatchObject({ role: "viewer", isDisabled: false });
      expect(await versionOf(ana.id)).toBe(1);
      expect(await changeUser(db(), actor, ana.id, { disabled: true })).toMatchObject({ isDisabled: true });
      expect(await versionOf(ana.id)).toBe(2);
      // Enabling gives no old session back, and a change to what already is writes nothing.
      await changeUser(db(), actor, ana.id, { disabled: false });
      await changeUser(db(), actor, ana.id, { role: "viewer", disabled: false });
      expect(await versionOf(ana.id)).toBe(2);
      const audit = await db().prisma.auditLog.findMany({ where: { entityId: String(ana.id) }, orderBy: { id: "asc" } });
      expect(audit.map((entry) => [entry.actor, entry.action, entry.details])).toEqual([
        ["cli", "user.create", { email: "ana@example.com", role: "analyst" }],
        ["root@example.com", "user.set_role", { email: "ana@example.com", from: "analyst", to: "viewer" }],
        ["root@example.com", "user.disable", { email: "ana@example.com" }],
        ["root@example.com", "user.enable", { email: "ana@example.com" }],
      ]);
      await expect(changeUser(db(), asActor(ana), admin.id, { disabled: true })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(changeUser(db(), actor, ana.id, {})).rejects.toThrow("give a role, disabled, or both");
      await expect(changeUser(db(), actor, 999_999, { role: "viewer" })).rejects.toBeInstanceOf(NotFoundError);
    });

    it("never leaves the dashboard without an active admin", async () => {
      const { user: first } = await createUser(db(), cliActor, { email: "first@example.com", role: "admin" });
      const { user: second } = await createUser(db(), cliActor, { email: "second@example.com", role: "admin" });
      await changeUser(db(), cliActor, second.id, { disabled: true });
      for (const attempt of [
        () => changeUser(db(), cliActor, first.id, { disabled: true }),
        () => changeUser(db(), cliActor, first.id, { role: "analyst" }),
        () => deleteUser(db(), cliActor, first.id),
      ]) {
        const refusal = attempt();
        await expect(refusal).rejects.toBeInstanceOf(ConflictError);
        await expect(refusal).rejects.toThrow(
          /^first@example.com is the last active admin and cannot be (disabled|demoted|deleted); make another user admin first$/,
        );
      }
      await expect(deleteUser(db(), cliActor, first.id)).rejects.toThrow(/last active admin and cannot be deleted/);
      // A disabled admin is no active admin: it may go, and once another admin is active the first may too.
      await deleteUser(db(), cliActor, second.id);
      const { user: third } = await createUser(db(), cliActor, { email: "third@example.com", role: "admin" });
      await changeUser(db(), asActor(third), first.id, { role: "viewer" });
      expect((await listUsers(db(), cliActor)).map((user) => [user.email, user.role])).toEqual([
        ["first@example.com", "viewer"],
        ["third@example.com", "admin"],
      ]);
    });

    it("refuses concurrent changes that would together remove every active admin", async () => {
      const { user: first } = await createUser(db(), cliActor, { email: "first@example.com", role: "admin" });
      const { user: second } = await createUser(db(), cliActor, { email: "second@example.com", role: "admin" });
      const outcomes = await Promise.allSettled([
        changeUser(db(), cliActor, first.id, { disabled: true }),
        changeUser(db(), cliActor, second.id, { disabled: true }),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
      expect(await db().prisma.user.count({ where: { role: "admin", isDisabled: false } })).toBe(1);
    });

    it("resets a password: the new one signs in, the old one no longer does, sessions end and a lockout lifts", async () => {
      const { user: ana } = await createUser(db(), cliActor, { email: "ana@example.com", role: "analyst", password: "old-password" });
      const signIn = (password: string, minutes: number) =>
        authenticateWithPassword(db(), policy, { email: "ana@example.com", password, clientAddress: "10.0.0.1", now: minutesAfter(minutes) });
      for (const minutes of [0, 1, 2]) expect(await signIn("wrong", minutes)).toBeNull();
      await expect(signIn("old-password", 3)).rejects.toBeInstanceOf(RateLimitedError);
      const { password } = await resetUserPassword(db(), cliActor, ana.id);
      expect(password).toHaveLength(24);
      expect(await versionOf(ana.id)).toBe(1);
      expect(await signIn("old-password", 4)).toBeNull();
      expect(await signIn(password, 5)).toMatchObject({ email: "ana@example.com", sessionVersion: 1 });
      const chosen = await resetUserPassword(db(), cliActor, ana.id, { password: "chosen-password" });
      expect(chosen.password).toBe("chosen-password");
      await expect(resetUserPassword(db(), cliActor, ana.id, { password: "short" })).rejects.toThrow("password: must be at least 10 characters");
      const audit = await db().prisma.auditLog.findMany({ where: { action: "user.reset_password" }, orderBy: { id: "asc" } });
      expect(audit.map((entry) => entry.details)).toEqual([
        { email: "ana@example.com", generated: true },
        { email: "ana@example.com", generated: false },
      ]);
      expect(JSON.stringify(audit.map((entry) => entry.details))).not.toContain("chosen-password");
    });

    it("deletes a user and keeps what they wrote, and finds users by id or e-mail", async () => {
      const { user: ana } = await createUser(db(), cliActor, { email: "ana@example.com", role: "analyst" });
      expect(await findUserId(db(), String(ana.id))).toBe(ana.id);
      expect(await findUserId(db(), " ANA@example.com ")).toBe(ana.id);
      await expect(findUserId(db(), "nobody@example.com")).rejects.toThrow('There is no user "nobody@example.com" (give an e-mail address or an id)');
      await expect(findUserId(db(), "99999999999")).rejects.toBeInstanceOf(NotFoundError);
      expect(await deleteUser(db(), cliActor, ana.id)).toEqual({ id: ana.id, email: "ana@example.com" });
      expect(await db().prisma.user.count()).toBe(0);
      const audit = await db().prisma.auditLog.findMany({ orderBy: { id: "asc" } });
      expect(audit.at(-1)).toMatchObject({ action: "user.delete", details: { email: "ana@example.com", role: "analyst" } });
      await expect(deleteUser(db(), cliActor, ana.id)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("ends every session of a user on sign-out", async () => {
      const { user: ana } = await createUser(db(), cliActor, { email: "ana@example.com", role: "analyst" });
      await endUserSessions(db().prisma, ana.id);
      await endUserSessions(db().prisma, ana.id);
      expect(await versionOf(ana.id)).toBe(2);
    });
  });
});
