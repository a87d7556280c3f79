import { Option, type Command } from "commander";
import type { FrozenConfig } from "@/lib/config";
import { openLogSource, sourceKinds, type SourceHooks, type SourceKind } from "@/lib/es";
import type { LogSource } from "@/lib/pipeline/log-document";
import { cliConnections } from "./services";

export type SourceFlags = { source?: SourceKind; input?: string[] };

/** Adds --source and --input, the log source flags shared by reading commands. */
export function withSourceOptions(command: Command, inputDescription = "log files or folders of them (NDJSON, optionally gzip)"): Command {
  return command
    .addOption(new Option("--source <source>", "where to read: es (default when ES_URL is set) or file (default with --input)").choices(sourceKinds))
    .option("--input <path...>", inputDescription);
}

/** Opens the source the flags name; Elasticsearch retries are reported on standard error. */
export function openSource(config: FrozenConfig, flags: SourceFlags, hooks: SourceHooks = {}): LogSource {
  return openLogSource(
    config,
    cliConnections().elasticsearch,
    { ...(flags.source ? { kind: flags.source } : {}), ...(flags.input ? { inputs: flags.input } : {}) },
    { onRetry: (message) => process.stderr.write(`${message}\n`), ...hooks },
  );
}

/** Runs a body with a source open, closing it afterwards. */
export async function withSource<T>(config: FrozenConfig, flags: SourceFlags, hooks: SourceHooks, body: (source: LogSource) => Promise<T>): Promise<T> {
  const source = openSource(config, flags, hooks);
  try {
    return await body(source);
  } finally {
    await source.close();
  }
}
