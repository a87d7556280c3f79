import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { loginOverHttp } from "./support/login";
import { E2E_STANDALONE_PORT, e2eUsers } from "./support/users";

// The dashboard as docs/deploy.md runs it: `node .next/standalone/server.js` from the build
// folder alone, with `.next/static` copied beside it as Next.js documents. The suite's web server
// (`peaks serve`) made that build (`output: "standalone"`), so nothing is built here; the
// standalone server uses the suite's embedded database, whose server `peaks serve` keeps running.

const root = path.resolve(import.meta.dirname, "..");
const standalone = path.join(root, ".next", "standalone");
const baseURL = `http://127.0.0.1:${E2E_STANDALONE_PORT}`;
const START_TIMEOUT_MS = 60_000;

let server: ChildProcess | undefined;
let output = "";

async function waitUntilAnswering(): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null) throw new Error(`the standalone server exited (${server?.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${baseURL}/api/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the standalone server did not answer within ${START_TIMEOUT_MS / 1000} s:\n${output}`);
}

test.beforeAll(async () => {
  const dataDir = test.info().config.webServer?.env?.PEAKS_DATA_DIR;
  if (!dataDir) throw new Error("playwright.config.ts gives the web server no PEAKS_DATA_DIR");
  expect(existsSync(path.join(standalone, "server.js")), "next build wrote .next/standalone/server.js").toBe(true);
  cpSync(path.join(root, ".next", "static"), path.join(standalone, ".next", "static"), { recursive: true });
  if (existsSync(path.join(root, "public"))) cpSync(path.join(root, "public"), path.join(standalone, "public"), { recursive: true });
  // Only what docs/deploy.md says to set (no variable of this process leaks in, nor a .env file
  // of the project: the server reads those from its own folder). The suite's configuration
  // trusts one proxy, so that this sign-in counts against an address of its own.
  server = spawn(process.execPath, [path.join(standalone, "server.js")], {
    cwd: standalone,
    env: {
      NODE_ENV: "production",
      PORT: String(E2E_STANDALONE_PORT),
      HOSTNAME: "127.0.0.1",
      NEXTAUTH_URL: baseURL,
      NEXTAUTH_SECRET: "e2e-standalone-session-key-of-at-least-32-characters",
      PEAKS_DATA_DIR: dataDir,
      PEAKS_CONFIG: path.join(dataDir, "values.e2e.yaml"),
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitUntilAnswering();
});

test.afterAll(async () => {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server?.once("exit", resolve));
  server.kill("SIGTERM");
  await exited;
});

test.describe("the standalone server (node .next/standalone/server.js)", () => {
  test("carries the files it reads by path: the migrations and values.yaml", () => {
    const migrations = (folder: string) => readdirSync(path.join(folder, "prisma", "migrations")).filter((name) => /^\d{4}_/.test(name));
    expect(migrations(standalone).length).toBeGreaterThan(0);
    expect(migrations(standalone)).toEqual(migrations(root));
    for (const name of migrations(root)) {
      const file = path.join("prisma", "migrations", name, "migration.sql");
      expect(readFileSync(path.join(standalone, file), "utf8"), file).toBe(readFileSync(path.join(root, file), "utf8"));
    }
    expect(readFileSync(path.join(standalone, "values.yaml"), "utf8")).toBe(readFileSync(path.join(root, "values.yaml"), "utf8"));
  });

  test("is ready: the database answers and every migration of the build is applied", async ({ playwright }) => {
    const client = await playwright.request.newContext({ baseURL });
    try {
      const ready = await client.get("/api/health/ready");
      expect(ready.status(), output).toBe(200);
      expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: "ok", migrations: "ok" } });
    } finally {
      await client.dispose();
    }
  });

  test("signs a user in, answers a data route to the session and nothing without one", async ({ playwright }) => {
    const anonymous = await playwright.request.newContext({ baseURL });
    const client = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL, "x-forwarded-for": "198.51.100.71" } });
    try {
      expect((await anonymous.get("/api/overview")).status()).toBe(401);
      const signIn = await loginOverHttp(client, e2eUsers.viewer.email, e2eUsers.viewer.password);
      expect(((await signIn.json()) as { url: string }).url, "the viewer signs in").not.toContain("error=");
      const overview = await client.get("/api/overview");
      expect(overview.status(), output).toBe(200);
      expect(await overview.json()).toHaveProperty("namespaces.total");
      const namespaces = await client.get("/api/namespaces?limit=5");
      expect(namespaces.status(), output).toBe(200);
      expect(((await namespaces.json()) as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
    } finally {
      await Promise.all([anonymous.dispose(), client.dispose()]);
    }
  });

  test("serves the login page with its scripts from the copied static folder", async ({ playwright }) => {
    const client = await playwright.request.newContext({ baseURL });
    try {
      const login = await client.get("/login");
      expect(login.status()).toBe(200);
      const scripts = [...(await login.text()).matchAll(/src="(\/_next\/static\/[^"]+\.js)"/g)].map((match) => match[1]!);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts.slice(0, 3)) expect((await client.get(script)).status(), script).toBe(200);
    } finally {
      await client.dispose();
    }
  });
});
