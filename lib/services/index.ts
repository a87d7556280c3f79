import type { FrozenConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import type { Db } from "@/lib/db/client";
import { openConfiguredLogSource, type SourceHooks } from "@/lib/es";
import type { Logger } from "@/lib/log";
import type { LogSource } from "@/lib/pipeline/log-document";
import type { WindowGrid } from "@/lib/pipeline/time";
import type { Connections } from "./connections";
import { pipelineServicesOf, type PipelineServices } from "./notifiers";

/**
 * What one process works with, built once by its composition root (web.ts for the server and
 * its scheduled-job routes, the command line's cli/services.ts) and handed to the use cases:
 * nothing below reads the environment or opens a connection of its own.
 */
export type Services = {
  config: FrozenConfig;
  grid: WindowGrid;
  db: Db;
  logger: Logger;
  connections: Connections;
  /** Teams and AI as configured. */
  pipeline: PipelineServices;
  /** Opens the configured log source (Elasticsearch, else PEAKS_LOG_INPUT's files); the caller closes it. */
  openSource: (hooks?: SourceHooks) => LogSource;
};

/** The services of a configuration, a database, a logger and the connections. */
export function assembleServices(parts: { config: FrozenConfig; db: Db; logger: Logger; connections: Connections }): Services {
  const { config, connections } = parts;
  return {
    ...parts,
    grid: gridOf(config),
    pipeline: pipelineServicesOf(config, connections),
    openSource: (hooks = {}) => openConfiguredLogSource(config, connections, hooks),
  };
}
