import { generatePassword, hashPassword } from "@/lib/auth/password";
import { accountThrottleKey } from "@/lib/auth/throttle";
import { recordAudit } from "@/lib/db/audit";
import type { Prisma, Db } from "@/lib/db/client";
import { clearLoginFailures } from "@/lib/db/login-failures";
import {
  countUsers,
  deleteUserRow,
  findUserIdBy,
  findUsers,
  insertUser,
  isEmailTaken,
  lockActiveAdmins,
  lockUser,
  updateUser,
  type UserRow,
} from "@/lib/db/users";
import { ConflictError, NotFoundError, parseInput } from "@/lib/errors";
import { recordIdSchema } from "@/lib/record-id";
import { assertRole, cliActor, type Actor, type Role } from "@/lib/roles";
import {
  changeUserSchema,
  createUserSchema,
  resetPasswordSchema,
  type CreateUserInput,
  type ResetPasswordInput,
  type UserChanges,
  type UserSummary,
} from "./contract";

// The accounts' use cases: who may, what is checked, what is written with its audit entry in
// one transaction. The queries are lib/db/users.ts's.

function toSummary({ passwordHash, ...user }: UserRow): UserSummary {
  return { ...user, hasPassword: passwordHash !== null };
}

/** Creates a user (admins only). Without a password one is generated and returned once; it is stored only as a hash. */
export async function createUser(db: Db, actor: Actor, input: CreateUserInput): Promise<{ user: UserSummary; generatedPassword: string | null }> {
  assertRole(actor, "admin");
  const parsed = parseInput(createUserSchema, input);
  const generatedPassword = parsed.password ? null : generatePassword();
  const passwordHash = await hashPassword(parsed.password ?? generatedPassword ?? "");
  return db.prisma.$transaction(async (transaction) => {
    if (await isEmailTaken(transaction, parsed.email)) throw new ConflictError(`A user with the e-mail ${parsed.email} already exists`);
    const user = await insertUser(transaction, { email: parsed.email, name: parsed.name ?? null, role: parsed.role, passwordHash });
    await recordAudit(transaction, actor, { action: "user.create", entityType: "user", entityId: user.id, details: { email: user.email, role: user.role } });
    return { user: toSummary(user), generatedPassword };
  });
}

/** Every user, oldest first (admins only). */
export async function listUsers(db: Db, actor: Actor): Promise<UserSummary[]> {
  assertRole(actor, "admin");
  return (await findUsers(db.prisma)).map(toSummary);
}

/**
 * Creates the first admin when there is no user at all. Returns the generated credentials
 * exactly once, on the start that created them; null on every later start.
 */
export async function ensureBootstrapAdmin(db: Db, email: string): Promise<{ email: string; password: string } | null> {
  if ((await countUsers(db.prisma)) > 0) return null;
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  try {
    await db.prisma.$transaction(async (transaction) => {
      if ((await countUsers(transaction)) > 0) throw new ConflictError("users exist");
      const user = await insertUser(transaction, { email: email.toLowerCase(), name: "Administrator", role: "admin", passwordHash });
      await recordAudit(transaction, cliActor, { action: "user.bootstrap_admin", entityType: "user", entityId: user.id, details: { email: user.email } });
    });
  } catch (error) {
    // Another process created the first user at the same moment; it prints the password.
    if (error instanceof ConflictError || (error as { code?: string }).code === "P2002") return null;
    throw error;
  }
  return { email: email.toLowerCase(), password };
}

/**
 * The user a change is about, its row locked for the change's transaction, or NotFoundError.
 * When the change takes an active admin away, the other active admins are locked too and the
 * change is refused if none would be left: the dashboard must always keep someone who can
 * manage users.
 */
async function lockUserForChange(
  transaction: Prisma.TransactionClient,
  userId: number,
  removesActiveAdmin: (user: { role: Role; isDisabled: boolean }) => boolean,
  action: string,
): Promise<UserRow> {
  const user = await lockUser(transaction, userId);
  if (!user) throw new NotFoundError(`There is no user with id ${userId}`);
  if (user.role === "admin" && !user.isDisabled && removesActiveAdmin(user)) {
    const admins = await lockActiveAdmins(transaction);
    if (admins.every((adminId) => adminId === userId)) {
      throw new ConflictError(`${user.email} is the last active admin and cannot be ${action}; make another user admin first`);
    }
  }
  return user;
}

/**
 * Changes a user's role and/or disables or enables the account (admins only), audited. A new
 * role or a disabled account ends the user's sessions at once (their next request is signed out).
 */
export async function changeUser(db: Db, actor: Actor, userId: number, input: UserChanges): Promise<UserSummary> {
  assertRole(actor, "admin");
  const changes = parseInput(changeUserSchema, input);
  return db.prisma.$transaction(async (transaction) => {
    const before = await lockUserForChange(
      transaction,
      userId,
      (user) => (changes.role !== undefined && changes.role !== "admin") || (changes.disabled === true && !user.isDisabled),
      changes.disabled ? "disabled" : "demoted",
    );
    const role = changes.role ?? before.role;
    const isDisabled = changes.disabled ?? before.isDisabled;
    if (role === before.role && isDisabled === before.isDisabled) return toSummary(before);
    const after = await updateUser(transaction, userId, { role, isDisabled, endsSessions: role !== before.role || (isDisabled && !before.isDisabled) });
    if (role !== before.role) {
      await recordAudit(transaction, actor, {
        action: "user.set_role",
        entityType: "user",
        entityId: userId,
        details: { email: after.email, from: before.role, to: role },
      });
    }
    if (isDisabled !== before.isDisabled) {
      await recordAudit(transaction, actor, {
        action: isDisabled ? "user.disable" : "user.enable",
        entityType: "user",
        entityId: userId,
        details: { email: after.email },
      });
    }
    return toSummary(after);
  });
}

/**
 * Gives a user a new password (admins only): the one given, or a generated one returned once.
 * Ends the user's sessions and lifts a lockout after failed sign-ins; audited.
 */
export async function resetUserPassword(
  db: Db,
  actor: Actor,
  userId: number,
  input: ResetPasswordInput = {},
): Promise<{ user: UserSummary; password: string }> {
  assertRole(actor, "admin");
  const parsed = parseInput(resetPasswordSchema, input);
  const password = parsed.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return db.prisma.$transaction(async (transaction) => {
    const before = await lockUserForChange(transaction, userId, () => false, "changed");
    const user = await updateUser(transaction, userId, { passwordHash, endsSessions: true });
    await clearLoginFailures(transaction, accountThrottleKey(before.email));
    await recordAudit(transaction, actor, {
      action: "user.reset_password",
      entityType: "user",
      entityId: userId,
      details: { email: user.email, generated: parsed.password === undefined },
    });
    return { user: toSummary(user), password };
  });
}

/**
 * Deletes a user (admins only), audited. What the user wrote stays (thresholds, known issues,
 * notes, the audit log) with its author cleared; the audit entries keep the e-mail as written.
 */
export async function deleteUser(db: Db, actor: Actor, userId: number): Promise<{ id: number; email: string }> {
  assertRole(actor, "admin");
  return db.prisma.$transaction(async (transaction) => {
    const user = await lockUserForChange(transaction, userId, () => true, "deleted");
    await deleteUserRow(transaction, userId);
    await clearLoginFailures(transaction, accountThrottleKey(user.email));
    await recordAudit(transaction, actor, { action: "user.delete", entityType: "user", entityId: userId, details: { email: user.email, role: user.role } });
    return { id: userId, email: user.email };
  });
}

/** A user named by id or e-mail (the command line takes either), or NotFoundError. */
export async function findUserId(db: Db, reference: string): Promise<number> {
  const trimmed = reference.trim();
  const id = /^\d+$/.test(trimmed) ? recordIdSchema.safeParse(trimmed) : null;
  const found = await findUserIdBy(db.prisma, id?.success ? { id: id.data } : { email: trimmed.toLowerCase() });
  if (found === null) throw new NotFoundError(`There is no user ${JSON.stringify(trimmed)} (give an e-mail address or an id)`);
  return found;
}
