import { getConfig } from "@/lib/config";
import { env } from "@/lib/env.js";
import { getLogger, type Logger } from "@/lib/log";
import { assembleServices, type Services } from "@/lib/services";
import { connectionsOf, type Connections } from "@/lib/services/connections";
import { withDatabase } from "./database";

// The composition root of the command line: a command gets its configuration, database,
// connections, logger and notifiers from here (its log source from --source/--input, see
// source.ts), never from the environment directly.

let connections: Connections | undefined;

/** The environment's connections, read once per command. */
export function cliConnections(): Connections {
  connections ??= connectionsOf(env);
  return connections;
}

/**
 * Runs a command body with the command line's services, the database open for its duration;
 * `serve`'s scheduler gives its own logger, and the sample's files as the log source when it serves them.
 */
export async function withServices<T>(body: (services: Services) => Promise<T>, parts: { logger?: Logger; connections?: Connections } = {}): Promise<T> {
  const config = getConfig();
  return withDatabase((database) =>
    body(assembleServices({ config, db: database, logger: parts.logger ?? getLogger(), connections: parts.connections ?? cliConnections() })),
  );
}
