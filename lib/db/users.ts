import type { Prisma, PrismaClient } from "./client";

type Reader = PrismaClient | Prisma.TransactionClient;

/** The columns a user is shown with, the hash included only to tell whether there is one. */
const userRowSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  isDisabled: true,
  passwordHash: true,
  createdAt: true,
  lastLoginAt: true,
} as const;

export type UserRow = Prisma.UserGetPayload<{ select: typeof userRowSelect }>;

/** Every user, oldest first. */
export function findUsers(reader: Reader): Promise<UserRow[]> {
  return reader.user.findMany({ select: userRowSelect, orderBy: { id: "asc" } });
}

export async function countUsers(reader: Reader): Promise<number> {
  return reader.user.count();
}

export async function isEmailTaken(reader: Reader, email: string): Promise<boolean> {
  return (await reader.user.findUnique({ where: { email }, select: { id: true } })) !== null;
}

export function insertUser(reader: Reader, user: { email: string; name: string | null; role: UserRow["role"]; passwordHash: string }): Promise<UserRow> {
  return reader.user.create({ data: user, select: userRowSelect });
}

/** A user's row, locked until the transaction ends; null when there is none. */
export async function lockUser(transaction: Prisma.TransactionClient, userId: number): Promise<UserRow | null> {
  const locked = await transaction.$queryRaw<{ id: number }[]>`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`;
  if (locked.length === 0) return null;
  return transaction.user.findUniqueOrThrow({ where: { id: userId }, select: userRowSelect });
}

/** The ids of the active admins, their rows locked until the transaction ends. */
export async function lockActiveAdmins(transaction: Prisma.TransactionClient): Promise<number[]> {
  const rows = await transaction.$queryRaw<{ id: number }[]>`SELECT id FROM users WHERE role = 'admin' AND NOT is_disabled ORDER BY id FOR UPDATE`;
  return rows.map((row) => row.id);
}

/** Changes a user; `endsSessions` raises the session version, which ends every session of the user. */
export function updateUser(
  transaction: Prisma.TransactionClient,
  userId: number,
  changes: { role?: UserRow["role"]; isDisabled?: boolean; passwordHash?: string; endsSessions: boolean },
): Promise<UserRow> {
  const { endsSessions, ...data } = changes;
  return transaction.user.update({
    where: { id: userId },
    data: { ...data, ...(endsSessions ? { sessionVersion: { increment: 1 } } : {}) },
    select: userRowSelect,
  });
}

export async function deleteUserRow(transaction: Prisma.TransactionClient, userId: number): Promise<void> {
  await transaction.user.delete({ where: { id: userId } });
}

/** Ends every session of a user (sign-out): tokens issued before are refused from now on. */
export async function endUserSessions(reader: Reader, userId: number): Promise<void> {
  await reader.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

/** The id of the user with this id or e-mail, or null. */
export async function findUserIdBy(reader: Reader, key: { id: number } | { email: string }): Promise<number | null> {
  return (await reader.user.findFirst({ where: key, select: { id: true } }))?.id ?? null;
}
