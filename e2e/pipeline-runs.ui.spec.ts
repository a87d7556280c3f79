import path from "node:path";
import { expect, test } from "@playwright/test";
import { loginInBrowser } from "./support/login";
import { e2eUsers } from "./support/users";

const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");

test("an analyst starts a run and watches its nine steps finish", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.analyst.email, e2eUsers.analyst.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pipeline runs" }).click();
  await expect(page.getByRole("heading", { name: "Pipeline runs", level: 1 })).toBeVisible();

  const runNow = page.getByRole("button", { name: /Run now|A run is in progress/ });
  // Another test may be running the pipeline; wait for the lock to be free.
  await expect(page.getByRole("button", { name: "Run now" })).toBeEnabled({ timeout: 60_000 });
  await runNow.click();
  const notice = page.getByRole("status");
  await expect(notice).toHaveText(/Run #\d+ started over|Nothing to process/);
  const detail = page.getByRole("region", { name: /Run #\d+|Select a run/ });
  if (/started/.test((await notice.textContent()) ?? "")) {
    const runId = /Run #(\d+)/.exec((await notice.textContent()) ?? "")![1]!;
    await expect(page.getByRole("heading", { name: new RegExp(`Run #${runId}`) })).toBeVisible();
    await expect(page.getByRole("heading", { name: new RegExp(`Run #${runId}\\s+succeeded`) })).toBeVisible({ timeout: 60_000 });
    const steps = detail.getByRole("listitem").filter({ hasText: /succeeded|skipped|failed/ });
    await expect(detail.locator(".run-step")).toHaveCount(9);
    await expect(steps.first()).toContainText("Collect error counts");
    await expect(detail.locator(".run-step").filter({ hasText: "Ingest and detect peaks" })).toContainText("succeeded");
    await expect(page.getByRole("region", { name: "History" }).getByRole("button", { name: `#${runId}` })).toHaveAttribute("aria-pressed", "true");
  }
  await page.screenshot({ path: path.join(screenshots, "pipeline-runs.png"), fullPage: true });
});

test("a viewer reads the runs but cannot start one", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  await page.goto("/runs");
  await expect(page.getByRole("heading", { name: "Pipeline runs", level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: /Run now/ })).toHaveCount(0);
});
