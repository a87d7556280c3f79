import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { env } from "@/lib/env.js";

export type { Logger };

/**
 * Field paths whose values never reach a log line, wherever an error or request object puts them.
 * pino's paths take one wildcard level; credentials sit at the top or one level down.
 */
const REDACTED = [
  "password",
  "*.password",
  "passwordHash",
  "*.passwordHash",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "apiKey",
  "*.apiKey",
  "authorization",
  "*.authorization",
  "cookie",
  "*.cookie",
  "headers.authorization",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
];

/**
 * A structured logger: JSON lines in production (for a log collector), readable lines in
 * development. Written synchronously to standard output: no worker thread, which bundling
 * and short-lived processes handle badly.
 */
export function createLogger(options: { isDevelopment: boolean; level: string; destination?: NodeJS.WritableStream }): Logger {
  const settings = { level: options.level, base: { service: "peak-investigation" }, redact: { paths: REDACTED, censor: "[redacted]" } };
  if (options.isDevelopment) {
    return pino(
      settings,
      pretty({ colorize: true, sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service", destination: options.destination ?? 1 }),
    );
  }
  return pino(settings, options.destination ?? pino.destination({ sync: true }));
}

let serverLogger: Logger | undefined;

/** The server process's logger (the web server and the scheduled jobs it runs), made once. */
export function getLogger(): Logger {
  serverLogger ??= createLogger({ isDevelopment: env.NODE_ENV === "development", level: env.NODE_ENV === "test" ? "silent" : env.LOG_LEVEL });
  return serverLogger;
}
