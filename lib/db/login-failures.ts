import type { PrismaClient } from "./client";

/** Failed sign-ins recorded for a key since a moment, and the oldest of them. */
export async function countLoginFailures(
  prisma: PrismaClient,
  key: string,
  since: Date,
): Promise<{ count: number; oldest: Date | null }> {
  const result = await prisma.loginFailure.aggregate({
    where: { key, failedAt: { gte: since } },
    _count: { _all: true },
    _min: { failedAt: true },
  });
  return { count: result._count._all, oldest: result._min.failedAt };
}

export async function recordLoginFailure(prisma: PrismaClient, key: string, now: Date): Promise<void> {
  await prisma.loginFailure.create({ data: { key, failedAt: now } });
}

/** Forgets a key's failures (after a successful sign-in) and every failure older than `before`. */
export async function clearLoginFailures(prisma: PrismaClient, key: string, before: Date): Promise<void> {
  await prisma.loginFailure.deleteMany({ where: { OR: [{ key }, { failedAt: { lt: before } }] } });
}
