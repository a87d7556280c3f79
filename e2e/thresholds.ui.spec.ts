import path from "node:path";
import { expect, test } from "@playwright/test";
import { loginInBrowser } from "./support/login";
import { e2eUsers } from "./support/users";

const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");

test("an admin tunes a threshold: inline errors, backtest, save, history, and back to the earlier values", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.admin.email, e2eUsers.admin.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Thresholds" }).click();
  await expect(page.getByRole("heading", { name: "Thresholds", level: 1 })).toBeVisible();

  const minimum = page.getByLabel("Minimum errors in the window");
  const original = await minimum.inputValue();
  const proposed = original === "1" ? "2" : "1";
  const backtest = page.getByRole("button", { name: "Backtest", exact: true });
  const save = page.getByRole("button", { name: "Save as a new version" });

  // A value the schema refuses is named next to its field, and nothing can be tested or saved.
  const maximum = page.getByLabel("Maximum ratio to the baseline");
  const maximumBefore = await maximum.inputValue();
  await maximum.fill("0.5");
  await maximum.blur();
  await expect(page.getByText("Must be at least min_ratio_multiplier")).toBeVisible();
  await expect(maximum).toHaveAttribute("aria-invalid", "true");
  await expect(backtest).toBeDisabled();
  await maximum.fill(maximumBefore);

  await minimum.fill(proposed);
  await expect(save).toBeDisabled();
  await expect(page.getByText("Backtest these values before saving them.")).toBeVisible();
  await page.getByLabel("Backtest over the last").selectOption("14");
  await expect(page).toHaveURL(/days=14/);
  await backtest.click();

  const results = page.getByRole("region", { name: "Backtest" });
  await expect(results.getByRole("status")).toContainText("14 days");
  await expect(results.getByRole("status")).toContainText(/the proposed values \d+/);
  await expect(results.getByRole("table")).toBeVisible();
  expect(await results.getByRole("table").getByRole("row").count()).toBeGreaterThanOrEqual(3); // header + both sample namespaces
  await expect(results.locator("figure svg").first()).toBeVisible();
  await page.screenshot({ path: path.join(screenshots, "thresholds-backtest.png"), fullPage: true });

  // Choosing another namespace puts it on the chart.
  const other = results.getByRole("table").getByRole("button", { pressed: false }).first();
  const otherName = (await other.textContent())!;
  await other.click();
  await expect(results.getByRole("heading", { name: otherName, level: 3 })).toBeVisible();

  await page.getByLabel("Why (saved with the version)").fill("e2e: lower minimum");
  await expect(save).toBeEnabled();
  await save.click();
  const saved = page.getByRole("status").filter({ hasText: /Saved version \d+/ });
  await expect(saved).toBeVisible();
  const version = /Saved version (\d+)/.exec((await saved.textContent())!)![1]!;

  const history = page.getByRole("region", { name: "History" });
  const newest = history.locator("ol > li").first();
  await expect(newest).toContainText(`Version ${version}`);
  await expect(newest).toContainText("in force");
  await expect(newest).toContainText("e2e: lower minimum");
  await expect(newest).toContainText(`min_absolute_value ${original} → ${proposed}`);
  await expect(newest).toContainText(e2eUsers.admin.email);
  await page.screenshot({ path: path.join(screenshots, "thresholds-saved.png"), fullPage: true });

  // Back to the values before: load the previous entry, backtest it, save it as the next version.
  await history.locator("ol > li").nth(1).getByRole("button", { name: "Load into the form" }).click();
  await expect(minimum).toHaveValue(original);
  await backtest.click();
  await expect(results.getByRole("status")).toContainText("14 days");
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: new RegExp(`Saved version ${Number(version) + 1}`) })).toBeVisible();
  await expect(history.locator("ol > li").first()).toContainText(`min_absolute_value ${proposed} → ${original}`);
});

test("the spread check's tiny probability reads as odds, takes 0.000001 or 1e-6, is validated and backtests", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.admin.email, e2eUsers.admin.password);
  await page.goto("/thresholds");
  const tail = page.getByLabel("Spread check: chance of an ordinary window passing");
  const odds = page.locator("#threshold-tail_probability-words");
  const sameDay = page.getByLabel("Minimum ratio to the same-day windows");
  const backtest = page.getByRole("button", { name: "Backtest", exact: true });
  await expect(sameDay).toBeVisible();
  const original = await tail.inputValue();
  expect(Number(original)).toBeGreaterThan(0);
  await expect(odds).toHaveText(`= 1 in ${Math.round(1 / Number(original)).toLocaleString("en-US")}`);
  await expect(tail).toHaveAccessibleDescription(/^= 1 in [\d,]+ A peak must lie beyond/);

  // Both ways of writing a millionth are the same value.
  for (const typed of ["1e-6", "0.000001"]) {
    await tail.fill(typed);
    await tail.blur();
    await expect(tail).toHaveValue(typed);
    await expect(odds).toHaveText("= 1 in 1,000,000");
    await expect(tail).not.toHaveAttribute("aria-invalid");
  }

  // Zero, above 0.01 and a negative same-day ratio are refused next to their fields.
  for (const typed of ["0", "0.02"]) {
    await tail.fill(typed);
    await tail.blur();
    await expect(tail).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#threshold-tail_probability-error")).toBeVisible();
    await expect(odds).toHaveCount(0);
    await expect(backtest).toBeDisabled();
  }
  const sameDayBefore = await sameDay.inputValue();
  await sameDay.fill("-1");
  await sameDay.blur();
  await expect(sameDay).toHaveAttribute("aria-invalid", "true");
  await sameDay.fill(sameDayBefore);
  await expect(sameDay).not.toHaveAttribute("aria-invalid");

  // A stricter spread check backtests like any other value (nothing is saved).
  await tail.fill("1e-7");
  await expect(odds).toHaveText("= 1 in 10,000,000");
  await expect(page.getByText(`(in force: ${original}`)).toBeVisible();
  await backtest.click();
  const results = page.getByRole("region", { name: "Backtest" });
  await expect(results.getByRole("status")).toContainText(/the proposed values \d+/);
  await expect(results.getByRole("table")).toBeVisible();
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    // The chart takes the new width a moment after the window: polled.
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(screenshots, `thresholds-spread-check-${width}.png`), fullPage: true });
  }
});

test("a viewer reads the thresholds and their history but cannot change, backtest or restore them", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  await page.goto("/thresholds");
  await expect(page.getByRole("heading", { name: "Values in force" })).toBeVisible();
  await expect(page.getByLabel("Minimum errors in the window")).toHaveAttribute("readonly", "");
  await expect(page.getByRole("button", { name: /Backtest|Save|Restore|Load into the form/ })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "History" }).getByRole("listitem").first()).toContainText("in force");

  const state = (await (await page.request.get("/api/thresholds")).json()) as { current: { version: number | null; values: unknown } };
  for (const [url, body] of [
    ["/api/thresholds", { values: state.current.values, basedOnVersion: state.current.version }],
    ["/api/thresholds/backtest", { values: state.current.values }],
    ["/api/thresholds/restore", { version: 1 }],
  ] as const) {
    expect((await page.request.post(url, { data: body })).status(), url).toBe(403);
  }
});
