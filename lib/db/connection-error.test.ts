import path from "node:path";
import { describe, expect, it } from "vitest";
import { type AppError, ConfigurationError, NotFoundError, UnavailableError } from "@/lib/errors";
import type { DatabaseTarget } from "./target";
import { mapConnectionError } from "./connection-error";

// Fake error objects shaped like the ones node-postgres, Node's sockets and Prisma's driver
// adapter throw (their fields were read from real failures: see the integration tests).

const postgres = (url: string): DatabaseTarget => ({ kind: "postgres", url });
const unreachable = postgres("postgresql://u:secret-password@127.0.0.1:1/x");
const embedded: DatabaseTarget = { kind: "embedded", dataDir: "/srv/peaks/.data" };

function socketError(code: string, message: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, errno: -1, syscall: "connect", ...fields });
}

function serverError(code: string, message: string): Error {
  // pg's DatabaseError: the server's SQLSTATE in `code`, with a severity.
  return Object.assign(new Error(message), { name: "error", code, severity: "FATAL" });
}

function prismaError(code: string, cause: Record<string, unknown>, message = "\nInvalid `prisma.user.count()` invocation:\n\n\nsomething"): Error {
  const driverAdapterError = Object.assign(new Error(String(cause.kind)), { name: "DriverAdapterError", cause });
  return Object.assign(new Error(message), { name: "PrismaClientKnownRequestError", code, meta: { driverAdapterError }, clientVersion: "6.19.3" });
}

function mapped(error: unknown, target: DatabaseTarget = unreachable): AppError {
  const result = mapConnectionError(error, target);
  if (!result) throw new Error(`not mapped: ${String(error)}`);
  return result;
}

describe("mapConnectionError on PostgreSQL", () => {
  it("maps a refused connection to unavailable, naming host and port", () => {
    const error = mapped(socketError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:1", { address: "127.0.0.1", port: 1 }));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe("cannot reach the database at 127.0.0.1:1 (connection refused)");
  });

  it("never shows the password of the URL", () => {
    const error = mapped(socketError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:1"));
    expect(error.message).not.toContain("secret-password");
    expect(error.message).not.toContain("u:");
  });

  it("maps an unknown host name, with the default port when the URL has none", () => {
    const error = mapped(
      socketError("ENOTFOUND", "getaddrinfo ENOTFOUND db.invalid", { syscall: "getaddrinfo", hostname: "db.invalid" }),
      postgres("postgresql://u:p@db.invalid/peaks"),
    );
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe("cannot reach the database at db.invalid:5432 (host not found)");
  });

  it.each([
    ["ETIMEDOUT", "connection timed out"],
    ["EHOSTUNREACH", "host unreachable"],
    ["ENETUNREACH", "network unreachable"],
    ["EAI_AGAIN", "host not found"],
  ])("maps %s", (code, reason) => {
    const error = mapped(socketError(code, `connect ${code} 127.0.0.1:1`));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe(`cannot reach the database at 127.0.0.1:1 (${reason})`);
  });

  it("maps a connection the server closed", () => {
    for (const error of [new Error("Connection terminated unexpectedly"), socketError("ECONNRESET", "read ECONNRESET", { syscall: "read" })]) {
      const result = mapped(error);
      expect(result).toBeInstanceOf(UnavailableError);
      expect(result.message).toBe("lost the connection to the database at 127.0.0.1:1 (connection closed)");
    }
  });

  it("maps the first of several refused addresses (AggregateError)", () => {
    const error = Object.assign(
      new AggregateError([socketError("ECONNREFUSED", "connect ECONNREFUSED ::1:1"), socketError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:1")], ""),
      {
        code: "ECONNREFUSED",
      },
    );
    expect(mapped(error).message).toBe("cannot reach the database at 127.0.0.1:1 (connection refused)");
  });

  it("maps a refused password to a configuration error that points at DATABASE_URL", () => {
    const error = mapped(serverError("28P01", 'password authentication failed for user "u"'));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe('the database at 127.0.0.1:1 refused the connection (password authentication failed for user "u"); check DATABASE_URL');
  });

  it("maps a database that does not exist to a configuration error", () => {
    const error = mapped(serverError("3D000", 'database "x" does not exist'));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe('the database at 127.0.0.1:1 refused the connection (database "x" does not exist); check DATABASE_URL');
  });

  it("maps a server that cannot take the connection now to unavailable", () => {
    for (const [code, message] of [
      ["53300", "sorry, too many clients already"],
      ["57P03", "the database system is starting up"],
    ] as const) {
      const error = mapped(serverError(code, message));
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error.message).toBe(`the database at 127.0.0.1:1 refused the connection (${message})`);
    }
  });

  it("maps a session the server ended to unavailable", () => {
    const error = mapped(serverError("57P01", "terminating connection due to administrator command"));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe("lost the connection to the database at 127.0.0.1:1 (terminating connection due to administrator command)");
  });

  it("maps a TLS mismatch to a configuration error", () => {
    const error = mapped(new Error("The server does not support SSL connections"));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe("the database at 127.0.0.1:1 refused the connection (The server does not support SSL connections); check DATABASE_URL");
  });
});

describe("mapConnectionError on Prisma's errors", () => {
  it("maps a closed connection (P1017)", () => {
    const error = mapped(prismaError("P1017", { kind: "ConnectionClosed" }));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe("lost the connection to the database at 127.0.0.1:1 (connection closed)");
  });

  it("maps an unreachable server, also inside a failed raw query (P2010)", () => {
    for (const code of ["P1001", "P2010"]) {
      const error = mapped(prismaError(code, { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 1 }));
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error.message).toBe("cannot reach the database at 127.0.0.1:1 (server not reachable)");
    }
  });

  it("maps failed authentication and a missing database to configuration errors", () => {
    expect(mapped(prismaError("P1000", { kind: "AuthenticationFailed", user: "u" }))).toBeInstanceOf(ConfigurationError);
    const missing = mapped(prismaError("P1003", { kind: "DatabaseDoesNotExist", db: "x" }));
    expect(missing).toBeInstanceOf(ConfigurationError);
    expect(missing.message).toBe('the database at 127.0.0.1:1 refused the connection (database "x" does not exist); check DATABASE_URL');
  });

  it("maps a server error passed through the adapter by its SQLSTATE", () => {
    const error = mapped(prismaError("P2010", { kind: "postgres", code: "57P01", message: "terminating connection due to administrator command" }));
    expect(error).toBeInstanceOf(UnavailableError);
  });

  it("leaves other Prisma errors alone", () => {
    expect(mapConnectionError(prismaError("P2002", { kind: "UniqueConstraintViolation" }), unreachable)).toBeNull();
    expect(mapConnectionError(Object.assign(new Error("Record not found"), { name: "PrismaClientKnownRequestError", code: "P2025" }), unreachable)).toBeNull();
  });
});

describe("mapConnectionError on the embedded database", () => {
  const root = path.resolve("/srv/peaks/.data");

  it("names the data folder and the server's log when the connection was closed", () => {
    for (const error of [new Error("Connection terminated unexpectedly"), prismaError("P1017", { kind: "ConnectionClosed" })]) {
      const result = mapped(error, embedded);
      expect(result).toBeInstanceOf(UnavailableError);
      expect(result.message).toBe(`lost the connection to the embedded database in ${root} (connection closed; its server's log: ${root}/embedded-server.log)`);
    }
  });

  it("says the server is not running when its socket refuses or is gone", () => {
    const socketPath = `${root}/run/.s.PGSQL.5432`;
    for (const error of [
      socketError("ECONNREFUSED", `connect ECONNREFUSED ${socketPath}`, { address: socketPath }),
      socketError("ENOENT", `connect ENOENT ${socketPath}`, { address: socketPath }),
      prismaError("P1001", { kind: "DatabaseNotReachable", host: socketPath }),
    ]) {
      const result = mapped(error, embedded);
      expect(result).toBeInstanceOf(UnavailableError);
      expect(result.message).toBe(`cannot reach the embedded database in ${root} (its server is not running)`);
    }
  });
});

describe("mapConnectionError leaves everything else alone", () => {
  it.each([
    ["an AppError", new NotFoundError("No peak 7")],
    ["a plain error", new Error("boom")],
    ["a query error", serverError("23505", "duplicate key value violates unique constraint")],
    [
      "a network error of another service, wrapped by fetch",
      new TypeError("fetch failed", { cause: socketError("ECONNREFUSED", "connect ECONNREFUSED 10.0.0.1:443") }),
    ],
    [
      "a file that does not exist",
      Object.assign(new Error("ENOENT: no such file or directory, open 'x.ndjson'"), { code: "ENOENT", syscall: "open", path: "x.ndjson" }),
    ],
    ["a string", "boom"],
    ["undefined", undefined],
  ])("%s", (_name, error) => {
    expect(mapConnectionError(error, unreachable)).toBeNull();
    expect(mapConnectionError(error, embedded)).toBeNull();
  });
});
