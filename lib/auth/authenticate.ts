import { clearLoginFailures, recordLoginFailure, summarizeLoginFailures } from "@/lib/db/login-failures";
import type { Db } from "@/lib/db/client";
import { addressThrottleKey } from "@/lib/auth/client-address";
import { RateLimitedError } from "@/lib/errors";
import { verifyPassword } from "./password";
import type { Role } from "@/lib/roles";
import { ACCOUNT_MEMORY_HOURS, accountLockedUntil, accountThrottleKey, addressLockedUntil, secondsUntil, type ThrottlePolicy } from "./throttle";

export type AuthenticatedUser = { id: number; email: string; name: string | null; role: Role; sessionVersion: number };

/**
 * Checks an e-mail and password. Failed attempts are counted in the database (so every process
 * shares them) twice: per account, whatever the client address, and per client address, over
 * all accounts. While either is locked out (see throttle.ts) the attempt is refused with
 * RateLimitedError before the password is even checked. Unknown e-mails are counted and locked
 * like real ones, so a lockout says nothing about which accounts exist. `clientAddress` is null
 * when the request's address is unknown; only the account is counted then.
 */
export async function authenticateWithPassword(
  db: Db,
  policy: ThrottlePolicy,
  attempt: { email: string; password: string; clientAddress: string | null; now: Date },
): Promise<AuthenticatedUser | null> {
  const email = attempt.email.trim().toLowerCase();
  const accountKey = accountThrottleKey(email);
  const addressKey = attempt.clientAddress === null ? null : `address:${addressThrottleKey(attempt.clientAddress)}`;
  const memoryStart = new Date(attempt.now.getTime() - ACCOUNT_MEMORY_HOURS * 3_600_000);
  const windowStart = new Date(attempt.now.getTime() - policy.windowMinutes * 60_000);

  const accountUntil = accountLockedUntil(await summarizeLoginFailures(db.prisma, accountKey, memoryStart), policy);
  if (accountUntil && accountUntil > attempt.now) {
    throw lockedOut("This account is locked after repeated failed sign-ins", accountUntil, attempt.now);
  }
  if (addressKey) {
    const addressUntil = addressLockedUntil(await summarizeLoginFailures(db.prisma, addressKey, windowStart), policy);
    if (addressUntil && addressUntil > attempt.now) {
      throw lockedOut("Too many failed sign-ins from this address", addressUntil, attempt.now);
    }
  }

  const user = await db.prisma.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, passwordHash: true, isDisabled: true, sessionVersion: true },
  });
  const isValid = await verifyPassword(attempt.password, user?.passwordHash);
  if (!user || !isValid || user.isDisabled) {
    await recordLoginFailure(db.prisma, addressKey ? [accountKey, addressKey] : [accountKey], attempt.now, memoryStart);
    return null;
  }
  await clearLoginFailures(db.prisma, accountKey);
  await db.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: attempt.now } });
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}

function lockedOut(reason: string, until: Date, now: Date): RateLimitedError {
  const seconds = secondsUntil(until, now);
  return new RateLimitedError(`${reason}. Try again in ${Math.ceil(seconds / 60)} minute(s).`, seconds);
}
