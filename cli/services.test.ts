import { afterEach, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db/client";
import { createLogger } from "@/lib/log";
import type { Connections } from "@/lib/services/connections";
import { cliSettings, withServices } from "./services";

// withDatabase is replaced by one that hands the body a stand-in database, so no database opens.
const database = vi.hoisted(() => ({ prisma: {}, kysely: {}, target: { kind: "postgres", url: "postgresql://u:p@db.example:5433/peaks" } }));
const withDatabase = vi.hoisted(() => vi.fn(async (body: (opened: Database) => Promise<unknown>) => body(database as unknown as Database)));
vi.mock("./database", () => ({ withDatabase }));

afterEach(() => {
  withDatabase.mockClear();
});

describe("cliSettings", () => {
  it("reads the configuration once and gives its window grid", () => {
    const settings = cliSettings();
    expect(cliSettings()).toBe(settings);
    expect(settings.grid.timeZone).toBe(settings.config.timezone);
    expect(settings.grid.windowMs).toBe(settings.config.window_minutes * 60_000);
  });
});

describe("withServices", () => {
  it("hands the body the settings' configuration, grid and connections with the open database and its target", async () => {
    const settings = cliSettings();
    const services = await withServices(async (opened) => opened);
    expect(withDatabase).toHaveBeenCalledOnce();
    expect(services.config).toBe(settings.config);
    expect(services.grid).toBe(settings.grid);
    expect(services.connections).toBe(settings.connections);
    expect(services.db).toBe(database);
    expect(services.target).toBe(database.target);
  });

  it("resolves the body's result", async () => {
    await expect(withServices(async () => 42)).resolves.toBe(42);
  });

  it("takes the logger and connections serve's scheduler gives", async () => {
    const logger = createLogger({ isDevelopment: false, level: "silent" });
    const connections: Connections = { ...cliSettings().connections, logInputs: ["sample-logs"] };
    const services = await withServices(async (opened) => opened, { logger, connections });
    expect(services.logger).toBe(logger);
    expect(services.connections).toBe(connections);
  });
});
