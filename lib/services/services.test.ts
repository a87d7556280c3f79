import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { parseEnvironment } from "@/lib/env.js";
import { ConfigurationError } from "@/lib/errors";
import { getLogger } from "@/lib/log";
import { connectionsOf } from "./connections";
import { assembleServices } from "./index";

const valuesText = readFileSync(path.resolve(import.meta.dirname, "../../values.yaml"), "utf8");
const config = parseConfig(valuesText, "values.yaml");
// Never queried here: assembling services opens no connection.
const db = {} as Db;

describe("connectionsOf", () => {
  it("reads Elasticsearch, the log inputs, Teams and AI from the environment, once", () => {
    const connections = connectionsOf(
      parseEnvironment({
        ES_URL: "https://es.example.net:9200",
        ES_USERNAME: "reader",
        ES_PASSWORD: "secret",
        PEAKS_LOG_INPUT: ["/logs/a", "", "/logs/b"].join(path.delimiter),
        TEAMS_WEBHOOK_URL: "https://teams.example.net/hook",
        AI_BASE_URL: "http://ai.example.net/v1",
        AI_MODEL: "small",
      }),
    );
    expect(connections.elasticsearch).toMatchObject({ url: "https://es.example.net:9200", username: "reader", password: "secret" });
    expect(connections.elasticsearch).not.toHaveProperty("apiKey");
    expect(connections.logInputs).toEqual(["/logs/a", "/logs/b"]);
    expect(connections.teamsWebhookUrl).toBe("https://teams.example.net/hook");
    expect(connections.ai).toEqual({ AI_BASE_URL: "http://ai.example.net/v1", AI_API_KEY: undefined, AI_MODEL: "small" });
  });

  it("has no Elasticsearch, no inputs and no Teams when nothing is set", () => {
    const connections = connectionsOf(parseEnvironment({}));
    expect(connections).toMatchObject({ elasticsearch: null, logInputs: [], teamsWebhookUrl: null });
  });
});

describe("assembleServices", () => {
  const logger = getLogger();

  it("opens the configured log files when Elasticsearch is not configured", async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "services-"));
    writeFileSync(path.join(folder, "errors-2026-11-30.ndjson"), "");
    const services = assembleServices({ config, db, logger, connections: { ...connectionsOf(parseEnvironment({})), logInputs: [folder] } });
    const source = services.openSource();
    try {
      expect(source.kind).toBe("file");
      expect(await source.listInputs()).toEqual([path.join(folder, "errors-2026-11-30.ndjson")]);
    } finally {
      await source.close();
    }
  });

  it("says what to set when there is no log source at all", () => {
    const services = assembleServices({ config, db, logger, connections: connectionsOf(parseEnvironment({})) });
    expect(() => services.openSource()).toThrow(ConfigurationError);
    expect(() => services.openSource()).toThrow(/ES_URL .* PEAKS_LOG_INPUT/);
  });

  it("turns Teams and AI on only when values.yaml and the connections both have them", () => {
    const teamsOn = { ...config, notifications: { ...config.notifications, teams: { ...config.notifications.teams, enabled: true } } };
    const without = assembleServices({ config: teamsOn, db, logger, connections: connectionsOf(parseEnvironment({})) });
    expect(without.pipeline.teams).toEqual({ status: "off", reason: "notifications.teams.enabled is true but TEAMS_WEBHOOK_URL is not set" });
    const withHook = assembleServices({
      config: teamsOn,
      db,
      logger,
      connections: connectionsOf(parseEnvironment({ TEAMS_WEBHOOK_URL: "https://teams.example.net/hook" })),
    });
    expect(withHook.pipeline.teams).toMatchObject({ status: "on", settings: { webhookUrl: "https://teams.example.net/hook" } });
    expect(withHook.pipeline.ai).toEqual({ status: "off", reason: "ai.enabled is false in values.yaml" });
    expect(withHook.grid.windowMs).toBe(config.window_minutes * 60_000);
  });
});
