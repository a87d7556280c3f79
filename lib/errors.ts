/** Errors the product raises on purpose; their message is safe to show to the user. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: unknown;

  /** `options.cause`: the error this one explains (shown by the CLI's --verbose), never shown to users. */
  constructor(code: AppErrorCode, message: string, details?: unknown, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export const appErrorCodes = [
  "unauthenticated",
  "forbidden",
  "not_found",
  "invalid_input",
  "conflict",
  "rate_limited",
  "configuration",
  "migration",
  "unavailable",
] as const;
export type AppErrorCode = (typeof appErrorCodes)[number];

/** The one table from error code to HTTP status. */
export const httpStatusByCode: Readonly<Record<AppErrorCode, number>> = Object.freeze({
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  rate_limited: 429,
  configuration: 500,
  migration: 500,
  unavailable: 503,
});

/** The one table from error code to CLI exit status (0 success, 1 unexpected failure). */
export const exitCodeByCode: Readonly<Record<AppErrorCode, number>> = Object.freeze({
  unauthenticated: 3,
  forbidden: 3,
  not_found: 4,
  invalid_input: 2,
  conflict: 5,
  rate_limited: 6,
  configuration: 7,
  migration: 8,
  unavailable: 9,
});

export class UnauthenticatedError extends AppError {
  constructor(message = "Sign in to continue") {
    super("unauthenticated", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "Your role does not allow this") {
    super("forbidden", message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super("not_found", message);
  }
}

export class InvalidInputError extends AppError {
  constructor(message: string, details?: unknown) {
    super("invalid_input", message, details);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super("conflict", message);
  }
}

export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super("rate_limited", message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class ConfigurationError extends AppError {
  constructor(message: string, details?: unknown, options?: ErrorOptions) {
    super("configuration", message, details, options);
  }
}

export class MigrationError extends AppError {
  constructor(message: string) {
    super("migration", message);
  }
}

export class UnavailableError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super("unavailable", message, undefined, options);
  }
}

/** Parses input with a zod schema; failures become InvalidInputError naming each field. */
export function parseInput<Output>(
  schema: {
    safeParse: (value: unknown) => { success: true; data: Output } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): Output {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
  throw new InvalidInputError(problems.map((problem) => (problem.path ? `${problem.path}: ${problem.message}` : problem.message)).join("; "), problems);
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
