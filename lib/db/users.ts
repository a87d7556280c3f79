import { z } from "zod";
import { assertRole, type Actor, type Role, roles } from "@/lib/auth/roles";
import { hashPassword, MIN_PASSWORD_LENGTH, generatePassword } from "@/lib/auth/password";
import { ConflictError, parseInput } from "@/lib/errors";
import { recordAudit } from "./audit";
import type { PrismaClient } from "./client";

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
export async function createUser(
  prisma: PrismaClient,
  actor: Actor,
  input: CreateUserInput,
): Promise<{ user: UserSummary; generatedPassword: string | null }> {
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
export async function ensureBootstrapAdmin(
  prisma: PrismaClient,
  email: string,
): Promise<{ email: string; password: string } | null> {
  if ((await prisma.user.count()) > 0) return null;
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  try {
    await prisma.$transaction(async (transaction) => {
      if ((await transaction.user.count()) > 0) throw new ConflictError("users exist");
      const user = await transaction.user.create({
        data: { email: email.toLowerCase(), name: "Administrator", role: "admin", passwordHash },
      });
      await recordAudit(transaction, { kind: "cli", role: "admin" }, {
        action: "user.bootstrap_admin",
        entityType: "user",
        entityId: user.id,
        details: { email: user.email },
      });
    });
  } catch (error) {
    // Another process created the first user at the same moment; it prints the password.
    if (error instanceof ConflictError || (error as { code?: string }).code === "P2002") return null;
    throw error;
  }
  return { email: email.toLowerCase(), password };
}
