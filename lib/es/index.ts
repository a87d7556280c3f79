import type { FrozenConfig } from "@/lib/config";
import { ConfigurationError, InvalidInputError } from "@/lib/errors";
import type { LogSource } from "@/lib/pipeline/log-document";
import { gridOf } from "@/lib/config/grid";
import { createElasticsearchClient, redactedUrl, type ElasticsearchConnection } from "./client";
import { createElasticsearchSource } from "./elasticsearch-source";
import { createFileSource } from "./file-source";

export const sourceKinds = ["es", "file"] as const;
export type SourceKind = (typeof sourceKinds)[number];

export type SourceChoice = {
  /** Asked for explicitly; otherwise files when inputs are given, else Elasticsearch when configured. */
  kind?: SourceKind;
  /** Files or folders, for the file source. */
  inputs?: readonly string[];
};

export type SourceHooks = {
  onFileDone?: (file: string, bytes: number) => void;
  /** Told about retried Elasticsearch requests. */
  onRetry?: (message: string) => void;
};

/** Which source a choice means, or why it cannot be used. */
export function resolveSourceKind(choice: SourceChoice, isElasticsearchConfigured: boolean): SourceKind {
  const hasInputs = (choice.inputs?.length ?? 0) > 0;
  const kind = choice.kind ?? (hasInputs ? "file" : isElasticsearchConfigured ? "es" : undefined);
  if (kind === undefined) {
    throw new InvalidInputError("No log source: give --input with log files or folders, or set ES_URL to read from Elasticsearch.");
  }
  if (kind === "file" && !hasInputs) throw new InvalidInputError("--source file needs --input with log files or folders.");
  if (kind === "es" && hasInputs) throw new InvalidInputError("--input is for --source file; Elasticsearch reads source.index_pattern from values.yaml.");
  if (kind === "es" && !isElasticsearchConfigured)
    throw new InvalidInputError("--source es needs ES_URL (and credentials) in the environment; see .env.example.");
  return kind;
}

/** The Elasticsearch source of a configuration and connection. */
export function elasticsearchSourceOf(config: FrozenConfig, connection: ElasticsearchConnection, hooks: SourceHooks = {}) {
  const settings = config.source.elasticsearch;
  return createElasticsearchSource(createElasticsearchClient(connection), {
    indexPattern: config.source.index_pattern,
    fields: config.source.fields,
    errorLevels: config.source.error_levels,
    grid: gridOf(config),
    pageSize: settings.page_size,
    aggregationPageSize: settings.aggregation_page_size,
    pointInTimeKeepAlive: settings.point_in_time_keep_alive,
    retry: {
      attempts: settings.retry.attempts,
      initialBackoffMs: settings.retry.initial_backoff_ms,
      maxBackoffMs: settings.retry.max_backoff_ms,
    },
    place: redactedUrl(connection.url),
    ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}),
  });
}

/** The file source of a configuration. */
export function fileSourceOf(config: FrozenConfig, inputs: readonly string[], hooks: SourceHooks = {}) {
  return createFileSource(
    inputs,
    {
      fields: config.source.fields,
      errorLevels: config.source.error_levels,
      grid: gridOf(config),
      maxSilenceMs: config.source.max_silence_minutes * 60_000,
    },
    hooks.onFileDone ? { onFileDone: hooks.onFileDone } : {},
  );
}

/**
 * Opens the log source a choice names: files when --input is given or --source file, else
 * Elasticsearch when a connection is configured (ES_URL, the default in production).
 */
export function openLogSource(config: FrozenConfig, elasticsearch: ElasticsearchConnection | null, choice: SourceChoice, hooks: SourceHooks = {}): LogSource {
  const kind = resolveSourceKind(choice, elasticsearch !== null);
  if (kind === "file" || elasticsearch === null) return fileSourceOf(config, choice.inputs ?? [], hooks);
  return elasticsearchSourceOf(config, elasticsearch, hooks);
}

/**
 * The source of runs started without a command line (dashboard, cron): Elasticsearch when a
 * connection is configured, else the configured log files and folders (PEAKS_LOG_INPUT).
 */
export function openConfiguredLogSource(
  config: FrozenConfig,
  connections: { elasticsearch: ElasticsearchConnection | null; logInputs: readonly string[] },
  hooks: SourceHooks = {},
): LogSource {
  if (connections.elasticsearch) return elasticsearchSourceOf(config, connections.elasticsearch, hooks);
  if (connections.logInputs.length > 0) return fileSourceOf(config, connections.logInputs, hooks);
  throw new ConfigurationError("No log source for the pipeline: set ES_URL to read from Elasticsearch, or PEAKS_LOG_INPUT to read log files.");
}
