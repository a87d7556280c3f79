import path from "node:path";
import type { AiEnvironment } from "@/lib/ai/settings";
import type { Environment } from "@/lib/env.js";
import type { ElasticsearchConnection } from "@/lib/es/client";

/**
 * What the product reaches outside its database, as the environment describes it. A
 * composition root reads it once and hands it on; lib/es, lib/notify and lib/ai never read the
 * environment themselves.
 */
export type Connections = {
  /** null when ES_URL is not set. */
  elasticsearch: ElasticsearchConnection | null;
  /** PEAKS_LOG_INPUT: the log files and folders runs without a command line read when Elasticsearch is not configured. */
  logInputs: readonly string[];
  /** null when TEAMS_WEBHOOK_URL is not set. */
  teamsWebhookUrl: string | null;
  /** null when SMTP_URL is not set: the daily digest is not e-mailed. */
  smtpUrl: string | null;
  ai: AiEnvironment;
};

/** The connections of a parsed environment (lib/env.js's `env` in production). */
export function connectionsOf(environment: Environment): Connections {
  return {
    elasticsearch: environment.ES_URL
      ? {
          url: environment.ES_URL,
          ...(environment.ES_API_KEY ? { apiKey: environment.ES_API_KEY } : {}),
          ...(environment.ES_USERNAME ? { username: environment.ES_USERNAME } : {}),
          ...(environment.ES_PASSWORD ? { password: environment.ES_PASSWORD } : {}),
          ...(environment.ES_CA_CERT ? { caCertificate: environment.ES_CA_CERT } : {}),
          rejectUnauthorized: environment.ES_TLS_REJECT_UNAUTHORIZED,
          requestTimeoutMs: environment.ES_REQUEST_TIMEOUT_MS,
        }
      : null,
    logInputs: (environment.PEAKS_LOG_INPUT ?? "").split(path.delimiter).filter((entry) => entry.trim() !== ""),
    teamsWebhookUrl: environment.TEAMS_WEBHOOK_URL ?? null,
    smtpUrl: environment.SMTP_URL ?? null,
    ai: { AI_BASE_URL: environment.AI_BASE_URL, AI_API_KEY: environment.AI_API_KEY, AI_MODEL: environment.AI_MODEL },
  };
}
