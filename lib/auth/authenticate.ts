import { countLoginFailures, clearLoginFailures, recordLoginFailure } from "@/lib/db/login-failures";
import type { PrismaClient } from "@/lib/db/client";
import { RateLimitedError } from "@/lib/errors";
import { verifyPassword } from "./password";
import type { Role } from "./roles";

export type LoginPolicy = { maxFailedLogins: number; windowMinutes: number };
export type AuthenticatedUser = { id: number; email: string; name: string | null; role: Role };

/**
 * Checks an e-mail and password. Failed attempts are counted per e-mail and client address in
 * the database (so every process shares them); past the policy's limit the attempt is refused
 * with RateLimitedError before the password is even checked.
 */
export async function authenticateWithPassword(
  prisma: PrismaClient,
  policy: LoginPolicy,
  attempt: { email: string; password: string; clientAddress: string; now: Date },
): Promise<AuthenticatedUser | null> {
  const email = attempt.email.trim().toLowerCase();
  const key = `${email}|${attempt.clientAddress}`;
  const windowMs = policy.windowMinutes * 60_000;
  const since = new Date(attempt.now.getTime() - windowMs);
  const failures = await countLoginFailures(prisma, key, since);
  if (failures.count >= policy.maxFailedLogins) {
    const retryAt = (failures.oldest?.getTime() ?? attempt.now.getTime()) + windowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((retryAt - attempt.now.getTime()) / 1000));
    throw new RateLimitedError(
      `Too many failed sign-ins. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
      retryAfterSeconds,
    );
  }
  const user = await prisma.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, passwordHash: true, isDisabled: true },
  });
  const isValid = await verifyPassword(attempt.password, user?.passwordHash);
  if (!user || !isValid || user.isDisabled) {
    await recordLoginFailure(prisma, key, attempt.now);
    return null;
  }
  await clearLoginFailures(prisma, key, since);
  await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: attempt.now } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
