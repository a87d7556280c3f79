/**
 * When failed sign-ins lock an account or a client address out. Pure: the failures come in,
 * the moment until which sign-in is refused goes out.
 */
export type ThrottlePolicy = {
  /** Failed sign-ins of one account before it is locked. */
  maxFailedLogins: number;
  /** The first lockout, in minutes after the last failure; also the address window. */
  windowMinutes: number;
  /** Failed sign-ins from one client address, over all accounts, within the window. */
  maxFailedLoginsPerAddress: number;
};

/** Failures older than this no longer count towards an account's lockout, in hours. */
export const ACCOUNT_MEMORY_HOURS = 24;
/** The longest lockout of an account, in minutes. */
export const MAX_LOCKOUT_MINUTES = ACCOUNT_MEMORY_HOURS * 60;

/**
 * Until when an account is locked, or null. At `maxFailedLogins` failures it is locked for the
 * window after the last one; each further failure (possible only once a lockout has passed)
 * doubles the lockout, up to MAX_LOCKOUT_MINUTES. Counted whatever the client address, so
 * spreading guesses over many addresses does not help.
 */
export function accountLockedUntil(failures: { count: number; latest: Date | null }, policy: ThrottlePolicy): Date | null {
  if (failures.count < policy.maxFailedLogins || failures.latest === null) return null;
  const doublings = Math.min(failures.count - policy.maxFailedLogins, 20);
  const minutes = Math.min(policy.windowMinutes * 2 ** doublings, MAX_LOCKOUT_MINUTES);
  return new Date(failures.latest.getTime() + minutes * 60_000);
}

/**
 * Until when a client address may not sign in, or null: once it has `maxFailedLoginsPerAddress`
 * failures within the window, until the oldest of them leaves the window. This bounds guessing
 * one password across many accounts.
 */
export function addressLockedUntil(failures: { count: number; oldest: Date | null }, policy: ThrottlePolicy): Date | null {
  if (failures.count < policy.maxFailedLoginsPerAddress || failures.oldest === null) return null;
  return new Date(failures.oldest.getTime() + policy.windowMinutes * 60_000);
}

/** Whole seconds from `now` until `until`, at least 1 (a Retry-After value). */
export function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/** The key an account's failed sign-ins are counted under, whatever the client address. */
export const accountThrottleKey = (email: string) => `account:${email.trim().toLowerCase()}`;
