// Playwright's web server: a fresh embedded database with the e2e accounts, then `peaks serve`.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cliActor } from "@/lib/roles";
import { openDatabase } from "@/lib/db/client";
import { createUser } from "@/lib/users/accounts";
import { childProcessEnvironment, env } from "@/lib/env.js";
import { startFakeOidcProvider } from "./fake-oidc-provider";
import { E2E_CRON_SECRET, E2E_LOGS_URL_TEMPLATE, e2eOidc, e2eUsers, E2E_PORT, E2E_SAMPLE_DAYS } from "./users";

const cli = path.join(process.cwd(), "cli", "index.ts");
const dataDir = path.resolve(env.PEAKS_DATA_DIR);

function stopEmbeddedServer() {
  spawnSync(process.execPath, ["--import", "tsx", cli, "db", "stop", "--data-dir", dataDir], { stdio: "inherit" });
}

stopEmbeddedServer();
rmSync(dataDir, { recursive: true, force: true });
const database = await openDatabase({ kind: "embedded", dataDir });
for (const user of Object.values(e2eUsers)) {
  await createUser(database, cliActor, user);
}
await database.close();

// A small generated data set (two namespaces, four weeks), ingested INIT then REGULAR, so that
// the dashboard has windows, baselines and peaks, then investigated as `npm start`'s first start
// does (its last step, the same command): every peak enriched, one known issue, one known peak.
// It ends yesterday (the generator's default), not on a fixed date: every pipeline run ends with
// maintenance, which deletes windows older than retention_days.peak_raw_data, and a run after a
// gap catches up on days of empty windows.
const sample = path.join(dataDir, "sample-logs");
for (const args of [
  ["generate", "--out", sample, "--days", String(E2E_SAMPLE_DAYS), "--namespaces", "2", "--rate", "0.5", "--seed", "3"],
  ["batch", "--all", "--input", sample],
  ["investigate-sample", "--input", sample],
]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", cli, ...args], { stdio: "inherit", env: childProcessEnvironment() });
  if (result.status !== 0) throw new Error(`peaks ${args.join(" ")} failed (exit ${result.status})`);
}

// The suite's configuration: values.yaml, but behind one trusted proxy. Every request comes
// from 127.0.0.1, so without it the sign-in failures of all tests would count against one
// client address; with it a test names its client address in X-Forwarded-For, as a proxy would.
// And with links to the logs (values.yaml has them commented out).
const config = path.join(dataDir, "values.e2e.yaml");
const values = readFileSync("values.yaml", "utf8");
if (!/^  trusted_proxy_hops: 0$/m.test(values)) throw new Error("values.yaml has no `trusted_proxy_hops: 0` line to replace");
if (/^links:/m.test(values)) throw new Error("values.yaml has a links section already; replace its logs_url_template instead");
writeFileSync(
  config,
  `${values.replace(/^  trusted_proxy_hops: 0$/m, "  trusted_proxy_hops: 1")}\nlinks:\n  logs_url_template: ${JSON.stringify(E2E_LOGS_URL_TEMPLATE)}\n`,
);

const oidc = await startFakeOidcProvider({ ...e2eOidc, user: { ...e2eOidc.user } });
const server = spawn(process.execPath, ["--import", "tsx", cli, "serve", "--port", String(E2E_PORT)], {
  stdio: "inherit",
  env: childProcessEnvironment({
    OIDC_ISSUER: oidc.issuer,
    OIDC_CLIENT_ID: e2eOidc.clientId,
    OIDC_CLIENT_SECRET: e2eOidc.clientSecret,
    OIDC_NAME: e2eOidc.name,
    CRON_SECRET: E2E_CRON_SECRET,
    PEAKS_CONFIG: config,
    // Runs started by the routes read the sample files; an empty ES_URL (which no .env file
    // overrides) keeps a developer's Elasticsearch out of them.
    PEAKS_LOG_INPUT: sample,
    ES_URL: "",
    // Nor do a developer's Teams webhook and AI endpoint receive anything from the tests.
    TEAMS_WEBHOOK_URL: "",
    AI_BASE_URL: "",
  }),
});
const shutDown = (signal: NodeJS.Signals) => server.kill(signal);
process.on("SIGINT", shutDown);
process.on("SIGTERM", shutDown);
server.on("exit", (code) => {
  void oidc.close();
  stopEmbeddedServer();
  process.exit(code ?? 0);
});
