import { getConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import type { DatabaseTarget } from "@/lib/db/target";
import { env } from "@/lib/env.js";
import { getLogger, type Logger } from "@/lib/log";
import { assembleServices, type Services } from "@/lib/services";
import { connectionsOf, type Connections } from "@/lib/services/connections";
import { withDatabase } from "./database";

// The composition root of the command line: a command gets its configuration, window grid,
// database, connections, logger and notifiers from here (its log source from --source/--input,
// opened with these settings, see source.ts), never from the environment directly.

/** What a command has before its database opens: values.yaml, its window grid, the environment's connections. */
export type CliSettings = Pick<Services, "config" | "grid" | "connections">;

/** The command line's services, with where the database is (commands name it in their output). */
export type CliServices = Services & { target: DatabaseTarget };

let settings: CliSettings | undefined;

/**
 * The command line's settings, read once per process. A command parses its flags with them
 * before it opens the database (a usage error never waits for one), and a command without a
 * database needs nothing else.
 */
export function cliSettings(): CliSettings {
  if (!settings) {
    const config = getConfig();
    settings = { config, grid: gridOf(config), connections: connectionsOf(env) };
  }
  return settings;
}

/**
 * Runs a command body with the command line's services, the database open for its duration;
 * `serve`'s scheduler gives its own logger, and the sample's files as the log source when it serves them.
 */
export async function withServices<T>(body: (services: CliServices) => Promise<T>, parts: { logger?: Logger; connections?: Connections } = {}): Promise<T> {
  const { config, connections } = cliSettings();
  return withDatabase((database) =>
    body({
      ...assembleServices({ config, db: database, logger: parts.logger ?? getLogger(), connections: parts.connections ?? connections }),
      target: database.target,
    }),
  );
}
