import type { Prisma, PrismaClient } from "./client";

export type FailureSummary = { count: number; oldest: Date | null; latest: Date | null };

/** Failed sign-ins recorded under a key since a moment, with the oldest and the latest. */
export async function summarizeLoginFailures(prisma: PrismaClient, key: string, since: Date): Promise<FailureSummary> {
  const result = await prisma.loginFailure.aggregate({
    where: { key, failedAt: { gte: since } },
    _count: { _all: true },
    _min: { failedAt: true },
    _max: { failedAt: true },
  });
  return { count: result._count._all, oldest: result._min.failedAt, latest: result._max.failedAt };
}

/** Records one failed sign-in under each key, and forgets every failure older than `forgetBefore`. */
export async function recordLoginFailure(prisma: PrismaClient, keys: readonly string[], now: Date, forgetBefore: Date): Promise<void> {
  await prisma.$transaction([
    prisma.loginFailure.deleteMany({ where: { failedAt: { lt: forgetBefore } } }),
    prisma.loginFailure.createMany({ data: keys.map((key) => ({ key, failedAt: now })) }),
  ]);
}

/** Forgets the failures recorded under a key (an account's, after it signed in or got a new password). */
export async function clearLoginFailures(prisma: PrismaClient | Prisma.TransactionClient, key: string): Promise<void> {
  await prisma.loginFailure.deleteMany({ where: { key } });
}
