// The one test command (`npm test`): lint, formatting, typecheck, unit, integration on PGlite and
// PostgreSQL, end-to-end in Chromium. Installs Chromium and PostgreSQL with apt-get when they are
// missing and it runs as root; otherwise says exactly what to install.
//   npm test                      every step
//   npm test -- unit integration  only the named steps
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { childProcessEnvironment } from "@/lib/env.js";

const root = path.resolve(import.meta.dirname, "..");
const reports = path.join(root, "test-results");
const CHROMIUM = "/usr/bin/chromium";

type Counts = { passed: number; failed: number };
type Step = { name: string; command: string[]; needs?: ("chromium" | "postgresql")[]; report?: () => Counts };

function vitestCounts(file: string): () => Counts {
  return () => {
    const report = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number };
    return { passed: report.numPassedTests, failed: report.numFailedTests };
  };
}

function playwrightCounts(): Counts {
  const report = JSON.parse(readFileSync(path.join(root, "e2e", ".artifacts", "report.json"), "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number };
  };
  return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected };
}

const steps: Step[] = [
  { name: "lint", command: ["npx", "eslint", "."] },
  { name: "format", command: ["npx", "prettier", "--check", "."] },
  { name: "typecheck", command: ["npx", "tsc", "--noEmit", "-p", "."] },
  {
    name: "unit",
    command: ["npx", "vitest", "run", "--project", "unit", "--reporter=default", "--reporter=json", `--outputFile.json=${path.join(reports, "unit.json")}`],
    report: vitestCounts(path.join(reports, "unit.json")),
  },
  {
    name: "integration",
    command: [
      // Two files at a time: most of their time is spent waiting on databases and child processes.
      "npx",
      "vitest",
      "run",
      "--project",
      "integration",
      "--maxWorkers=2",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${path.join(reports, "integration.json")}`,
    ],
    needs: ["postgresql"],
    report: vitestCounts(path.join(reports, "integration.json")),
  },
  { name: "e2e", command: ["npx", "playwright", "test"], needs: ["chromium"], report: playwrightCounts },
];

function hasPostgresServer(): boolean {
  const debianRoot = "/usr/lib/postgresql";
  if (existsSync(debianRoot) && readdirSync(debianRoot).some((version) => existsSync(path.join(debianRoot, version, "bin", "initdb")))) {
    return true;
  }
  return spawnSync("sh", ["-c", "command -v initdb"]).status === 0;
}

function ensurePrerequisites(needed: Set<string>): void {
  const missing: string[] = [];
  if (needed.has("chromium") && !existsSync(CHROMIUM)) missing.push("chromium");
  if (needed.has("postgresql") && !hasPostgresServer()) missing.push("postgresql");
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(`Missing: ${missing.join(", ")}. Install with:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(" ")}`);
    process.exit(1);
  }
  console.log(`Installing ${missing.join(", ")} with apt-get…`);
  const environment = childProcessEnvironment({ DEBIAN_FRONTEND: "noninteractive" });
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", ...missing],
  ]) {
    const result = spawnSync("apt-get", args, { stdio: "inherit", env: environment });
    if (result.status !== 0) {
      console.error(`apt-get ${args.join(" ")} failed (exit ${result.status})`);
      process.exit(1);
    }
  }
}

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !steps.some((step) => step.name === name));
if (unknown.length > 0) {
  console.error(`Unknown step(s): ${unknown.join(", ")}. Steps: ${steps.map((step) => step.name).join(", ")}`);
  process.exit(2);
}
const selected = requested.length > 0 ? steps.filter((step) => requested.includes(step.name)) : steps;
ensurePrerequisites(new Set(selected.flatMap((step) => step.needs ?? [])));
rmSync(reports, { recursive: true, force: true });
rmSync(path.join(root, "e2e", ".artifacts", "report.json"), { force: true });
mkdirSync(reports, { recursive: true });

const totals: Counts = { passed: 0, failed: 0 };
const failedSteps: string[] = [];
for (const step of selected) {
  console.log(`\n=== ${step.name}: ${step.command.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(step.command[0]!, step.command.slice(1), { cwd: root, stdio: "inherit", env: childProcessEnvironment() });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let counts: Counts | undefined;
  try {
    counts = step.report?.();
  } catch {
    counts = undefined;
  }
  if (counts) {
    totals.passed += counts.passed;
    totals.failed += counts.failed;
  }
  const ok = result.status === 0;
  if (!ok) failedSteps.push(step.name);
  // A failed step that produced no test counts (lint, typecheck, a crash) counts as one failure.
  if (!ok && (!counts || counts.failed === 0)) totals.failed += 1;
  console.log(
    `=== ${step.name}: ${ok ? "ok" : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds} s${counts ? ` (${counts.passed} passed, ${counts.failed} failed)` : ""}`,
  );
}

console.log(`\n${failedSteps.length === 0 ? "All steps passed" : `Failed steps: ${failedSteps.join(", ")}`}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(failedSteps.length === 0 ? 0 : 1);
