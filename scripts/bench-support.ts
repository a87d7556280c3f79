// Helpers shared by the benchmark scripts.
import { spawnSync } from "node:child_process";
import os from "node:os";

export const thousands = (value: number) => Math.round(value).toLocaleString("en-US");
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The value after a command-line option, e.g. `--rounds 3`. */
export function optionValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

export const hasFlag = (name: string) => process.argv.includes(name);

/** The commit measured, and which of the measured product files differ from it. */
export function codeVersion(root: string): string {
  const git = (...args: string[]) => spawnSync("git", args, { cwd: root, encoding: "utf8" });
  const head = git("rev-parse", "--short", "HEAD");
  if (head.status !== 0) return "unknown (not a git checkout)";
  const changed = git("status", "--porcelain", "--", "lib", "cli")
    .stdout.split("\n")
    .filter((line) => line.trim() !== "" && !/\.test\.tsx?$/.test(line))
    .map((line) => line.slice(3));
  return `${head.stdout.trim()}${changed.length > 0 ? ` + uncommitted changes in ${changed.join(", ")}` : ""}`;
}

/** Prints the machine, Node, time, load and code of a run. */
export function printRunHeader(root: string): void {
  const cpus = os.cpus();
  console.log(
    `Machine: ${cpus[0]?.model.trim() ?? "unknown CPU"} × ${cpus.length}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
  );
  console.log(
    `Node ${process.version}; ${new Date().toISOString()}; load average ${os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(" ")}`,
  );
  console.log(`Code: ${codeVersion(root)}`);
}
