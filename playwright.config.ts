import path from "node:path";
import { defineConfig } from "@playwright/test";
import { E2E_BASE_URL, E2E_PORT } from "./e2e/support/users";

const artifacts = path.join(import.meta.dirname, "e2e", ".artifacts");

export default defineConfig({
  testDir: "e2e",
  outputDir: path.join(artifacts, "results"),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["json", { outputFile: path.join(artifacts, "report.json") }]],
  use: {
    baseURL: E2E_BASE_URL,
    // What a browser sends on its own: state-changing API requests must come from the dashboard's origin.
    extraHTTPHeaders: { Origin: E2E_BASE_URL },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  projects: [
    { name: "api", testMatch: /.*\.api\.spec\.ts/ },
    {
      name: "ui",
      testMatch: /.*\.ui\.spec\.ts/,
      use: {
        browserName: "chromium",
        viewport: { width: 1366, height: 820 },
        // Debian's Chromium; Playwright's own browser downloads are never used.
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "node --import tsx e2e/support/start-server.ts",
    url: `${E2E_BASE_URL}/api/health/ready`,
    // Generating and ingesting the sample, then `next build` on two cores.
    timeout: 600_000,
    reuseExistingServer: false,
    // SIGTERM lets the server stop the embedded database it started; the default is SIGKILL.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PEAKS_DATA_DIR: path.join(artifacts, "data"),
      PORT: String(E2E_PORT),
      NEXTAUTH_URL: E2E_BASE_URL,
    },
  },
});
