import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import type { DigestContent } from "@/lib/digest/contract";
import { localInstantOf, shiftIsoDate } from "@/lib/pipeline/digest-period";
import { createWindowGrid } from "@/lib/pipeline/time";
import { enrichSamplePeaks } from "./support/enrich";
import { loginInBrowser } from "./support/login";
import { axeViolations, screenshotAtBothSizes } from "./support/page-checks";
import { e2eUsers } from "./support/users";

// The daily report of a date that holds sample problems: its top problems as the digest has them,
// printed without the dashboard's navigation, and each table downloadable as CSV.

// values.yaml's timezone and digest.local_time, which the e2e server runs with.
const grid = createWindowGrid("Europe/Prague", 15);
const LOCAL_TIME = "08:00";

/** The date whose digest covers an instant: the first date whose local_time comes after it (today's, or tomorrow's after local_time). */
function digestDateOf(instantMs: number): string {
  const day = grid.localDateOf(instantMs);
  return localInstantOf(day, LOCAL_TIME, grid) > instantMs ? day : shiftIsoDate(day, 1);
}

test("the daily report shows the top problems, prints without navigation and downloads its tables as CSV", async ({ page }) => {
  test.setTimeout(300_000);
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  await enrichSamplePeaks(page.request);
  // The newest due date whose 24 h hold a problem of the sample (its last days may be quiet).
  let date = digestDateOf(Date.now());
  if (localInstantOf(date, LOCAL_TIME, grid) > Date.now()) date = shiftIsoDate(date, -1);
  let content = (await (await page.request.get(`/api/reports/daily/${date}`)).json()) as DigestContent;
  for (let day = 0; day < 35 && content.problems.length === 0; day += 1) {
    date = shiftIsoDate(date, -1);
    content = (await (await page.request.get(`/api/reports/daily/${date}`)).json()) as DigestContent;
  }
  expect(content.problems.length).toBeGreaterThan(0);

  await page.getByRole("link", { name: "Daily report" }).click();
  await expect(page).toHaveURL(/\/reports\/daily\/\d{4}-\d{2}-\d{2}$/);
  await page.goto(`/reports/daily/${date}`);
  await expect(page.getByRole("heading", { level: 1, name: `Daily report ${date}` })).toBeVisible();
  await expect(page.getByTestId("report-headline")).toHaveText(content.headline);
  const rows = page.getByTestId("report-problem");
  await expect(rows).toHaveCount(content.problems.length);
  expect(await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute("data-problem-id")))).toEqual(
    content.problems.map((problem) => problem.id),
  );
  await expect(page.getByRole("link", { name: `← ${shiftIsoDate(date, -1)}` })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await screenshotAtBothSizes(page, "daily-report");

  // Printed: no navigation, no links bar, the report itself.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".sidebar")).toBeHidden();
  await expect(page.getByTestId("csv-problems")).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Other days" })).toBeHidden();
  await expect(page.getByTestId("daily-report")).toBeVisible();
  await expect(rows.first()).toBeVisible();
  await page.emulateMedia({ media: "screen" });

  const download = page.waitForEvent("download");
  await page.getByTestId("csv-problems").click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`digest-${date}-problems.csv`);
  const csv = await readFile(await file.path(), "utf8");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0]!.startsWith("rank,id,error_type,template,trend")).toBe(true);
  expect(lines[1]!.startsWith(`1,${content.problems[0]!.id},`)).toBe(true);
});

test("a date that is not one, or whose report is not due yet, is a 404 page; a CSV without its table a 400", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  for (const date of ["2026-02-30", "yesterday", "2999-01-01"]) {
    const response = await page.goto(`/reports/daily/${date}`);
    expect(response?.status(), date).toBe(404);
    await expect(page.getByRole("heading", { name: "No daily report for this date" })).toBeVisible();
  }
  const withoutTable = await page.request.get("/api/reports/daily/2026-01-15?format=csv");
  expect(withoutTable.status()).toBe(400);
  const badTable = await page.request.get("/api/reports/daily/2026-01-15?format=csv&table=users");
  expect(badTable.status()).toBe(400);
  expect((await page.request.get("/api/reports/daily/2999-01-01")).status()).toBe(404);
});
