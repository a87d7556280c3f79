import { afterEach, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db/client";
import { NotFoundError, UnavailableError } from "@/lib/errors";
import { withDatabase } from "./database";

// openDatabase is replaced by a stub whose close() a test controls.
const openDatabase = vi.hoisted(() => vi.fn());
vi.mock("@/lib/db/client", () => ({ openDatabase }));
vi.mock("@/lib/db/target", () => ({
  databaseTargetFromEnvironment: () => ({ kind: "postgres", url: "postgresql://u:p@db.example:5433/peaks" }),
}));

function stubDatabase(close: () => Promise<void>): Database {
  const database = { close } as unknown as Database;
  openDatabase.mockResolvedValue(database);
  return database;
}

afterEach(() => {
  openDatabase.mockReset();
  vi.useRealTimers();
});

describe("withDatabase", () => {
  it("resolves the body's result and closes the database", async () => {
    const close = vi.fn(async () => {});
    stubDatabase(close);
    await expect(withDatabase(async () => 42)).resolves.toBe(42);
    expect(close).toHaveBeenCalledOnce();
  });

  it("turns a connection lost in the body into an UnavailableError naming the database", async () => {
    stubDatabase(async () => {});
    const failure = withDatabase(async () => {
      throw new Error("Connection terminated unexpectedly");
    });
    await expect(failure).rejects.toThrow(UnavailableError);
    await expect(failure).rejects.toThrow("lost the connection to the database at db.example:5433 (connection closed)");
  });

  it("passes other failures on unchanged, also when closing fails too", async () => {
    stubDatabase(async () => {
      throw new Error("close failed");
    });
    const error = new NotFoundError("No peak 7");
    await expect(
      withDatabase(async () => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  it("reports the body's failure even when closing never finishes", async () => {
    vi.useFakeTimers();
    stubDatabase(() => new Promise<void>(() => {}));
    const failure = withDatabase(async () => {
      throw new Error("boom");
    }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await failure).toEqual(new Error("boom"));
  });
});
