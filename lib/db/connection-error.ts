import { AppError, ConfigurationError, UnavailableError } from "@/lib/errors";
import type { DatabaseTarget } from "./target";
import { embeddedPaths } from "./embedded/paths";

/** Why a connection failed, in the few kinds a user acts on differently. */
type Failure =
  /** No connection came about: the server is down, unknown or out of reach. */
  | { kind: "unreachable"; reason: string }
  /** A connection was there and is gone. */
  | { kind: "lost"; reason: string }
  /** The server answered and turned the connection down for now. */
  | { kind: "busy"; reason: string }
  /** The server answered and refused what DATABASE_URL asks for (user, password, database, TLS). */
  | { kind: "refused"; reason: string };

const SOCKET_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

// node-postgres reports a connection that ended (server gone, socket cut, connect timeout)
// with these messages and no code.
const CLOSED_MESSAGES = [
  "Connection terminated unexpectedly",
  "Connection terminated due to connection timeout",
  "Client has encountered a connection error and is not queryable",
];

const TLS_MESSAGES = ["The server does not support SSL connections"];

type ErrorFields = {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  syscall?: unknown;
  severity?: unknown;
  errors?: unknown;
  meta?: unknown;
  driverAdapterError?: unknown;
  cause?: unknown;
};

function fieldsOf(error: unknown): ErrorFields | null {
  return typeof error === "object" && error !== null ? (error as ErrorFields) : null;
}

/** A PostgreSQL server's SQLSTATE, as node-postgres or Prisma's adapter pass it on. */
function failureOfSqlState(code: string, message: string): Failure | null {
  if (code === "28P01" || code === "28000" || code === "3D000") return { kind: "refused", reason: message };
  if (code === "53300" || code === "57P03") return { kind: "busy", reason: message };
  if (code === "57P01" || code === "57P02" || code.startsWith("08")) return { kind: "lost", reason: message };
  return null;
}

/** A failure reported by Prisma's driver adapter (`meta.driverAdapterError.cause`). */
function failureOfAdapterCause(cause: Record<string, unknown>): Failure | null {
  switch (cause.kind) {
    case "DatabaseNotReachable":
      return { kind: "unreachable", reason: "server not reachable" };
    case "ConnectionClosed":
      return { kind: "lost", reason: "connection closed" };
    case "SocketTimeout":
      return { kind: "unreachable", reason: "connection timed out" };
    case "TooManyConnections":
      return { kind: "busy", reason: "too many connections" };
    case "AuthenticationFailed":
      return { kind: "refused", reason: `authentication failed${typeof cause.user === "string" ? ` for user "${cause.user}"` : ""}` };
    case "DatabaseDoesNotExist":
      return { kind: "refused", reason: typeof cause.db === "string" ? `database "${cause.db}" does not exist` : "the database does not exist" };
    case "DatabaseAccessDenied":
      return { kind: "refused", reason: "access denied" };
    case "TlsConnectionError":
      return { kind: "refused", reason: `TLS: ${String(cause.reason)}` };
    case "postgres":
      return typeof cause.code === "string" ? failureOfSqlState(cause.code, String(cause.message)) : null;
    default:
      return null;
  }
}

function failureOf(error: unknown): Failure | null {
  const fields = fieldsOf(error);
  if (!fields || error instanceof AppError) return null;
  const message = typeof fields.message === "string" ? fields.message : "";
  const code = typeof fields.code === "string" ? fields.code : undefined;
  const name = typeof fields.name === "string" ? fields.name : "";

  if (name.startsWith("PrismaClient") || name === "DriverAdapterError") {
    const adapterError = name === "DriverAdapterError" ? error : fieldsOf(fields.meta)?.driverAdapterError;
    const cause = fieldsOf(fieldsOf(adapterError)?.cause);
    if (cause) return failureOfAdapterCause(cause as Record<string, unknown>);
    // Without the adapter's details, Prisma's own connection codes.
    if (code === "P1001") return { kind: "unreachable", reason: "server not reachable" };
    if (code === "P1002") return { kind: "unreachable", reason: "connection timed out" };
    if (code === "P1017") return { kind: "lost", reason: "connection closed" };
    if (code === "P1000") return { kind: "refused", reason: "authentication failed" };
    if (code === "P1003") return { kind: "refused", reason: "the database does not exist" };
    return null;
  }
  // Several addresses tried (IPv6 and IPv4): the first one's failure stands for all.
  if (error instanceof AggregateError && Array.isArray(fields.errors) && fields.errors.length > 0) {
    return failureOf(fields.errors.find((inner) => typeof fieldsOf(inner)?.code === "string") ?? fields.errors[0]);
  }
  if (code && typeof fields.syscall === "string") {
    const reason = SOCKET_REASONS[code];
    if (reason) return { kind: "unreachable", reason };
    // The embedded server's socket file is missing: nobody serves the folder.
    if (code === "ENOENT" && fields.syscall === "connect") return { kind: "unreachable", reason: "no server listens on the socket" };
    if (code === "ECONNRESET" || code === "EPIPE") return { kind: "lost", reason: "connection closed" };
    return null;
  }
  if (code && typeof fields.severity === "string") return failureOfSqlState(code, message);
  if (CLOSED_MESSAGES.includes(message)) return { kind: "lost", reason: "connection closed" };
  if (TLS_MESSAGES.includes(message)) return { kind: "refused", reason: message };
  return null;
}

/** `host:port` of a PostgreSQL URL, never its user or password. */
function addressOf(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || parsed.searchParams.get("host") || "localhost";
    return `${host}:${parsed.port || "5432"}`;
  } catch {
    return "DATABASE_URL";
  }
}

function embeddedMessage(failure: Failure, dataDir: string): string {
  const { root, logFile } = embeddedPaths(dataDir);
  const database = `the embedded database in ${root}`;
  switch (failure.kind) {
    case "unreachable":
      return `cannot reach ${database} (its server is not running)`;
    case "lost":
      return `lost the connection to ${database} (${failure.reason}; its server's log: ${logFile})`;
    case "busy":
    case "refused":
      return `${database} refused the connection (${failure.reason}; its server's log: ${logFile})`;
  }
}

/**
 * The AppError for a failure to connect to (or stay connected with) the target database:
 * UnavailableError when the database cannot be reached or the connection was lost, and
 * ConfigurationError when the server refuses what DATABASE_URL asks for (credentials, database,
 * TLS). Null for every other error. Messages name the database (never the password) in one line.
 */
export function mapConnectionError(error: unknown, target: DatabaseTarget): AppError | null {
  const failure = failureOf(error);
  if (!failure) return null;
  const options = { cause: error };
  if (target.kind === "embedded") return new UnavailableError(embeddedMessage(failure, target.dataDir), options);
  const database = `the database at ${addressOf(target.url)}`;
  switch (failure.kind) {
    case "unreachable":
      return new UnavailableError(`cannot reach ${database} (${failure.reason})`, options);
    case "lost":
      return new UnavailableError(`lost the connection to ${database} (${failure.reason})`, options);
    case "busy":
      return new UnavailableError(`${database} refused the connection (${failure.reason})`, options);
    case "refused":
      return new ConfigurationError(`${database} refused the connection (${failure.reason}); check DATABASE_URL`, undefined, options);
  }
}
