import { inspect } from "node:util";
import { exitCodeByCode, isAppError } from "@/lib/errors";

/** Exit codes: 0 success, 1 unexpected failure, 2 usage or invalid input, others per lib/errors. */
export const EXIT_UNEXPECTED = 1;
export const EXIT_USAGE = 2;

/** What `--verbose` does, in the help of every command. */
export const VERBOSE_DESCRIPTION = "on failure, print details and the stack trace";

function linesOf(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/**
 * An unexpected error as one line: the first line of its message (Prisma's: the call and its
 * reason), with the file it concerns when the message does not name it.
 */
export function describeUnexpected(error: unknown): string {
  if (!(error instanceof Error)) return linesOf(String(error))[0] ?? "unknown error";
  let lines = linesOf(error.message);
  // Prisma's message: "Invalid `prisma.x.y()` invocation…", a code excerpt, then the reason last.
  const call = error.name.startsWith("PrismaClient") ? /Invalid `([^`]+)` invocation/.exec(error.message)?.[1] : undefined;
  const reason = lines.at(-1);
  if (call && reason && lines.length > 1) lines = [`${call} failed: ${reason}`];
  let line = lines[0] ?? error.name;
  const file = (error as { path?: unknown }).path;
  if (typeof file === "string" && file !== "" && !line.includes(file)) line += ` (${file})`;
  if (lines.length > 1) line += " (more with --verbose)";
  return line;
}

/**
 * Reports a failed command on standard error and returns its exit code: an AppError's message
 * (written for users) and code, anything else as one line and exit 1; with `verbose`, the
 * error's details, cause and stack follow.
 */
export function reportFailure(error: unknown, verbose: boolean): number {
  const isExpected = isAppError(error);
  console.error(`Error: ${isExpected ? error.message : describeUnexpected(error)}`);
  if (verbose) console.error(inspect(error, { depth: 6 }));
  return isExpected ? exitCodeByCode[error.code] : EXIT_UNEXPECTED;
}
