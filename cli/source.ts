import { Option, type Command } from "commander";
import { openLogSource, sourceKinds, type SourceHooks, type SourceKind } from "@/lib/es";
import type { LogSource } from "@/lib/pipeline/log-document";
import type { CliSettings } from "./services";

export type SourceFlags = { source?: SourceKind; input?: string[] };

/** Adds --source and --input, the log source flags shared by reading commands. */
export function withSourceOptions(command: Command, inputDescription = "log files or folders of them (NDJSON, optionally gzip)"): Command {
  return command
    .addOption(new Option("--source <source>", "where to read: es (default when ES_URL is set) or file (default with --input)").choices(sourceKinds))
    .option("--input <path...>", inputDescription);
}

/**
 * Opens the source the flags name, with the command line's configuration and connections
 * (cliSettings); Elasticsearch retries are reported on standard error.
 */
export function openSource(settings: Pick<CliSettings, "config" | "connections">, flags: SourceFlags, hooks: SourceHooks = {}): LogSource {
  return openLogSource(
    settings.config,
    settings.connections.elasticsearch,
    { ...(flags.source ? { kind: flags.source } : {}), ...(flags.input ? { inputs: flags.input } : {}) },
    { onRetry: (message) => process.stderr.write(`${message}\n`), ...hooks },
  );
}

/** Runs a body with a source open, closing it afterwards. */
export async function withSource<T>(
  settings: Pick<CliSettings, "config" | "connections">,
  flags: SourceFlags,
  hooks: SourceHooks,
  body: (source: LogSource) => Promise<T>,
): Promise<T> {
  const source = openSource(settings, flags, hooks);
  try {
    return await body(source);
  } finally {
    await source.close();
  }
}
