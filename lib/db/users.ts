import { z } from "zod";
import { assertRole, type Actor, type Role, roles } from "@/lib/auth/roles";
import { hashPassword, MIN_PASSWORD_LENGTH, generatePassword } from "@/lib/auth/password";
import { accountThrottleKey } from "@/lib/auth/throttle";
import { ConflictError, NotFoundError, parseInput } from "@/lib/errors";
import { recordIdSchema } from "@/lib/record-id";
import { recordAudit } from "./audit";
import type { Prisma, PrismaClient } from "./client";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[^\s@]+@[^\s@]+$/, "must be an e-mail address");

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(roles),
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(200).optional(),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export type UserSummary = {
  id: number;
  email: string;
  name: string | null;
  role: Role;
  isDisabled: boolean;
  hasPassword: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
};

const summarySelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  isDisabled: true,
  passwordHash: true,
  createdAt: true,
  lastLoginAt: true,
} as const;

function toSummary({ passwordHash, ...user }: { passwordHash: string | null } & Omit<UserSummary, "hasPassword">): UserSummary {
  return { ...user, hasPassword: passwordHash !== null };
}

/**
 * Creates a user (admins only). Without a password one is generated and returned once;
 * it is stored only as a hash.
 */
export async function createUser(prisma: PrismaClient, actor: Actor, input: CreateUserInput): Promise<{ user: UserSummary; generatedPassword: string | null }> {
  assertRole(actor, "admin");
  const parsed = parseInput(createUserSchema, input);
  const generatedPassword = parsed.password ? null : generatePassword();
  const passwordHash = await hashPassword(parsed.password ?? generatedPassword ?? "");
  return prisma.$transaction(async (transaction) => {
    const existing = await transaction.user.findUnique({ where: { email: parsed.email }, select: { id: true } });
    if (existing) throw new ConflictError(`A user with the e-mail ${parsed.email} already exists`);
    const user = await transaction.user.create({
      data: { email: parsed.email, name: parsed.name ?? null, role: parsed.role, passwordHash },
      select: summarySelect,
    });
    await recordAudit(transaction, actor, {
      action: "user.create",
      entityType: "user",
      entityId: user.id,
      details: { email: user.email, role: user.role },
    });
    return { user: toSummary(user), generatedPassword };
  });
}

/** Every user, oldest first (admins only). */
export async function listUsers(prisma: PrismaClient, actor: Actor): Promise<UserSummary[]> {
  assertRole(actor, "admin");
  const users = await prisma.user.findMany({ select: summarySelect, orderBy: { id: "asc" } });
  return users.map(toSummary);
}

/**
 * Creates the first admin when there is no user at all. Returns the generated credentials
 * exactly once, on the start that created them; null on every later start.
 */
export async function ensureBootstrapAdmin(prisma: PrismaClient, email: string): Promise<{ email: string; password: string } | null> {
  if ((await prisma.user.count()) > 0) return null;
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  try {
    await prisma.$transaction(async (transaction) => {
      if ((await transaction.user.count()) > 0) throw new ConflictError("users exist");
      const user = await transaction.user.create({
        data: { email: email.toLowerCase(), name: "Administrator", role: "admin", passwordHash },
      });
      await recordAudit(
        transaction,
        { kind: "cli", role: "admin" },
        {
          action: "user.bootstrap_admin",
          entityType: "user",
          entityId: user.id,
          details: { email: user.email },
        },
      );
    });
  } catch (error) {
    // Another process created the first user at the same moment; it prints the password.
    if (error instanceof ConflictError || (error as { code?: string }).code === "P2002") return null;
    throw error;
  }
  return { email: email.toLowerCase(), password };
}

export const userIdSchema = recordIdSchema;

const userChangesShape = { role: z.enum(roles).optional(), disabled: z.boolean().optional() };
const hasAChange = (changes: { role?: Role; disabled?: boolean }) => changes.role !== undefined || changes.disabled !== undefined;
const NO_CHANGE = "give a role, disabled, or both";

export const changeUserSchema = z.object(userChangesShape).strict().refine(hasAChange, NO_CHANGE);
export type UserChanges = z.input<typeof changeUserSchema>;
export const changeUserRequestSchema = z
  .object({ id: userIdSchema, ...userChangesShape })
  .strict()
  .refine(hasAChange, NO_CHANGE);

export const resetPasswordSchema = z
  .object({
    password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(200).optional(),
  })
  .strict();
export const resetPasswordRequestSchema = resetPasswordSchema.extend({ id: userIdSchema });
export const userRequestSchema = z.object({ id: userIdSchema });

type Transaction = Prisma.TransactionClient;

/**
 * The user a change is about, its row locked for the change's transaction, or NotFoundError.
 * When the change takes an active admin away, the other active admins are locked too and the
 * change is refused if none would be left: the dashboard must always keep someone who can
 * manage users.
 */
async function lockUserForChange(
  transaction: Transaction,
  userId: number,
  removesActiveAdmin: (user: { role: Role; isDisabled: boolean }) => boolean,
  action: string,
) {
  const locked = await transaction.$queryRaw<{ id: number }[]>`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`;
  if (locked.length === 0) throw new NotFoundError(`There is no user with id ${userId}`);
  const user = await transaction.user.findUniqueOrThrow({ where: { id: userId }, select: summarySelect });
  if (user.role === "admin" && !user.isDisabled && removesActiveAdmin(user)) {
    const admins = await transaction.$queryRaw<{ id: number }[]>`
      SELECT id FROM users WHERE role = 'admin' AND NOT is_disabled ORDER BY id FOR UPDATE`;
    if (admins.every((admin) => admin.id === userId)) {
      throw new ConflictError(`${user.email} is the last active admin and cannot be ${action}; make another user admin first`);
    }
  }
  return user;
}

/**
 * Changes a user's role and/or disables or enables the account (admins only), audited. A new
 * role or a disabled account ends the user's sessions at once (their next request is signed out).
 */
export async function changeUser(prisma: PrismaClient, actor: Actor, userId: number, input: UserChanges): Promise<UserSummary> {
  assertRole(actor, "admin");
  const changes = parseInput(changeUserSchema, input);
  return prisma.$transaction(async (transaction) => {
    const before = await lockUserForChange(
      transaction,
      userId,
      (user) => (changes.role !== undefined && changes.role !== "admin") || (changes.disabled === true && !user.isDisabled),
      changes.disabled ? "disabled" : "demoted",
    );
    const role = changes.role ?? before.role;
    const isDisabled = changes.disabled ?? before.isDisabled;
    if (role === before.role && isDisabled === before.isDisabled) return toSummary(before);
    const endsSessions = role !== before.role || (isDisabled && !before.isDisabled);
    const after = await transaction.user.update({
      where: { id: userId },
      data: { role, isDisabled, ...(endsSessions ? { sessionVersion: { increment: 1 } } : {}) },
      select: summarySelect,
    });
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
  prisma: PrismaClient,
  actor: Actor,
  userId: number,
  input: z.input<typeof resetPasswordSchema> = {},
): Promise<{ user: UserSummary; password: string }> {
  assertRole(actor, "admin");
  const parsed = parseInput(resetPasswordSchema, input);
  const password = parsed.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (transaction) => {
    const before = await lockUserForChange(transaction, userId, () => false, "changed");
    const user = await transaction.user.update({
      where: { id: userId },
      data: { passwordHash, sessionVersion: { increment: 1 } },
      select: summarySelect,
    });
    await transaction.loginFailure.deleteMany({ where: { key: accountThrottleKey(before.email) } });
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
export async function deleteUser(prisma: PrismaClient, actor: Actor, userId: number): Promise<{ id: number; email: string }> {
  assertRole(actor, "admin");
  return prisma.$transaction(async (transaction) => {
    const user = await lockUserForChange(transaction, userId, () => true, "deleted");
    await transaction.user.delete({ where: { id: userId } });
    await transaction.loginFailure.deleteMany({ where: { key: accountThrottleKey(user.email) } });
    await recordAudit(transaction, actor, {
      action: "user.delete",
      entityType: "user",
      entityId: userId,
      details: { email: user.email, role: user.role },
    });
    return { id: userId, email: user.email };
  });
}

/** Ends every session of a user (sign-out): tokens issued before are refused from now on. */
export async function endUserSessions(prisma: PrismaClient, userId: number): Promise<void> {
  await prisma.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

/** A user named by id or e-mail (the command line takes either), or NotFoundError. */
export async function findUserId(prisma: PrismaClient, reference: string): Promise<number> {
  const trimmed = reference.trim();
  const id = /^\d+$/.test(trimmed) ? recordIdSchema.safeParse(Number(trimmed)) : null;
  const user = await prisma.user.findFirst({
    where: id?.success ? { id: id.data } : { email: trimmed.toLowerCase() },
    select: { id: true },
  });
  if (!user) throw new NotFoundError(`There is no user ${JSON.stringify(trimmed)} (give an e-mail address or an id)`);
  return user.id;
}
