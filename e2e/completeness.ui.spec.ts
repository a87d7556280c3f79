import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type Page } from "@playwright/test";
import type { Database } from "@/lib/db/client";
import type { NamespaceSeries } from "@/lib/namespaces/contract";
import type { PeakPage } from "@/lib/peaks/contract";
import { e2eDatabase } from "./support/database";
import { loginInBrowser } from "./support/login";
import { E2E_SAMPLE_DAYS, e2eUsers } from "./support/users";

// Never a silent zero, as the dashboard shows it: gaps on the charts, each namespace's freshness
// and a banner while a data gap is open, runs that did not read all they should, corrected counts.

const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");
const MINUTE = 60_000;
const DAY = 86_400_000;
const QUARTER = 15 * MINUTE;

// The e2e server's embedded database, to seed what only a live source would produce (episodes,
// runs that waited for data, late corrections); every seeded row is removed again.
const test = base.extend<object, { database: Database }>({
  database: e2eDatabase,
});

async function expectNoSeriousAxeViolations(page: Page) {
  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const serious = scan.violations.filter((entry) => entry.impact === "serious" || entry.impact === "critical");
  expect(
    serious.map(
      (violation) =>
        `${violation.id} on ${violation.nodes
          .map((node) => node.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    ),
  ).toEqual([]);
}

test("a namespace chart draws the days no source covered as a labelled “no data” gap, not as zero", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  // A week that begins about three days before the sample logs do: those days were never read.
  const from = new Date(Math.floor((Date.now() - (E2E_SAMPLE_DAYS + 3) * DAY) / QUARTER) * QUARTER).toISOString();
  const to = new Date(Date.parse(from) + 7 * DAY).toISOString();

  const answer = await page.request.get(`/api/namespaces/payments/series?${new URLSearchParams({ from, to }).toString()}`);
  expect(answer.status()).toBe(200);
  const series = (await answer.json()) as NamespaceSeries;
  const [first] = series.gaps;
  expect(first?.from).toBe(Date.parse(from));
  expect(first!.to - first!.from).toBeGreaterThanOrEqual(2 * DAY);
  expect(first!.windows).toBe((first!.to - first!.from) / QUARTER);
  // The points of the gap have no count: nothing is drawn there as zero.
  expect(series.points.filter((point) => point.start + series.bucketMinutes * MINUTE <= first!.to).every((point) => point.count === null)).toBe(true);

  await page.goto(`/namespaces/payments?${new URLSearchParams({ from, to }).toString()}`);
  const chart = page.getByRole("group", { name: /^Errors of payments against its baseline/ });
  await expect(chart).toHaveAccessibleName(/no data for \d+ (h|days)[^;]* in \d+ gaps?\.$/);
  await expect(chart.locator(".chart-gap").first()).toBeVisible();
  await expect(chart.locator(".chart-gap text").filter({ hasText: "no data" }).first()).toBeVisible();
  await expect(chart.getByText("No data: no source covered these windows (not zero)")).toBeVisible();
  await chart.getByText(/^Time without data \(\d+ gaps?\)$/).click();
  await expect(chart.locator(".chart-gap-links li").first()).toHaveText(
    /^\d{1,2} \w{3} \d{4}, \d\d:\d\d – \d{1,2} \w{3} \d{4}, \d\d:\d\d \([^)]*windows without data\)$/,
  );
  await page.screenshot({ path: path.join(screenshots, "completeness-namespace-gap.png"), fullPage: true });
  await expectNoSeriousAxeViolations(page);
});

test("a run that waited for data has its own badge and says what it processed, in the list and in its detail", async ({ page, database }) => {
  const now = Date.now();
  const rangeTo = Math.floor((now - 5 * MINUTE) / QUARTER) * QUARTER;
  const rangeFrom = rangeTo - 4 * QUARTER;
  const coveredTo = rangeFrom + 2 * QUARTER;
  const dataUntil = coveredTo + 7 * MINUTE;
  const run = await database.prisma.pipelineRun.create({
    data: {
      trigger: "cli",
      rangeFrom: new Date(rangeFrom),
      rangeTo: new Date(rangeTo),
      source: "files: e2e completeness spec",
      status: "succeeded",
      coveredTo: new Date(coveredTo),
      findings: {
        coverage: [{ from: new Date(rangeFrom - DAY).toISOString(), to: new Date(dataUntil).toISOString() }],
        dataUntil: new Date(dataUntil).toISOString(),
        waiting: "waiting for data: the source ends a little behind; windows after it wait for the next run",
        gapWindows: 2,
      },
      startedAt: new Date(now - 2 * MINUTE),
      finishedAt: new Date(now - MINUTE),
    },
    select: { id: true },
  });
  try {
    await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
    await page.goto("/runs");
    const history = page.getByRole("region", { name: "History" });
    const row = history.getByRole("row").filter({ has: page.getByRole("button", { name: `#${run.id}`, exact: true }) });
    await expect(row.locator(".badge")).toHaveText("succeeded · waiting for data");
    await expect(row.locator(".badge")).toHaveClass(/badge-warning/);
    await expect(row.locator(".badge")).not.toHaveClass(/badge-succeeded/);
    await expect(row).toContainText(/processed to (\d{1,2} \w{3}, )?\d\d:\d\d · 2 windows without data/);

    await row.getByRole("button", { name: `#${run.id}`, exact: true }).click();
    const detail = page.getByRole("region", { name: new RegExp(`Run #${run.id}`) });
    await expect(detail.getByRole("heading", { name: `Run #${run.id} succeeded · waiting for data` })).toBeVisible();
    await expect(detail).toContainText(/Processed\s*up to [^;]+; .+ waits for the next run/);
    const findings = detail.getByRole("note", { name: "What this run did not read" });
    await expect(findings).toContainText("Waiting for data: the source ends a little behind; windows after it wait for the next run.");
    await expect(findings).toContainText("2 windows were not covered by any source and left unstored (shown as gaps, not as zero).");
    await page.screenshot({ path: path.join(screenshots, "completeness-runs.png"), fullPage: true });
    await expectNoSeriousAxeViolations(page);
  } finally {
    await database.prisma.pipelineRun.delete({ where: { id: run.id } });
  }
});

test("the overview warns while a data gap is open and tells each namespace's freshness", async ({ page, database }) => {
  const now = Date.now();
  const seeded = await database.prisma.dataGap.createManyAndReturn({
    data: [
      {
        kind: "stale",
        subject: "",
        dataUntil: new Date(now - 52 * MINUTE),
        detail: "waiting for data: the source is behind",
        openedAt: new Date(now - 5 * MINUTE),
        lastSeenAt: new Date(now - 2 * MINUTE),
      },
      {
        kind: "silent",
        subject: "payments",
        dataUntil: new Date(now - 65 * MINUTE),
        detail: "no error where its baselines expect some",
        openedAt: new Date(now - 5 * MINUTE),
        lastSeenAt: new Date(now - 2 * MINUTE),
      },
    ],
    select: { id: true },
  });
  try {
    await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
    const banner = page.getByRole("region", { name: /Data is missing/ });
    // An hour ago may be yesterday: "no data since 2 Dec, 23:15" just after midnight.
    await expect(banner).toContainText(/Log source is 5[123] min behind: no data since (\d{1,2} \w{3}, )?\d\d:\d\d\./);
    await expect(banner).toContainText(/payments has logged no errors for 1 h( \d+ min)?, where it usually does\./);

    // The sample logs end yesterday: every namespace's data stops at midnight, far behind now.
    const card = page.getByRole("region", { name: "Namespaces now" });
    await expect(card.getByRole("columnheader", { name: "Latest error" })).toBeVisible();
    for (const namespace of ["orders", "payments"]) {
      const row = card.getByRole("row").filter({ has: page.getByRole("link", { name: namespace, exact: true }) });
      await expect(row.locator(".freshness")).toContainText(/last error (\d+ (min|h) ago|\d+ days ago|just now)/);
      await expect(row.locator(".freshness-behind")).toHaveText(/no data since (\d{1,2} \w{3}, )?\d\d:\d\d$/);
    }
    await page.screenshot({ path: path.join(screenshots, "completeness-overview.png"), fullPage: true });
    await expectNoSeriousAxeViolations(page);
  } finally {
    await database.prisma.dataGap.deleteMany({ where: { id: { in: seeded.map((row) => row.id) } } });
  }
});

test("a peak whose window was counted again shows the correction", async ({ page, database }) => {
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  const { peaks } = (await (await page.request.get("/api/peaks?limit=1")).json()) as PeakPage;
  const peak = peaks[0]!;
  const correction = await database.prisma.windowCorrection.create({
    data: {
      timestamp: new Date(peak.timestamp),
      namespace: peak.namespace,
      previousCount: peak.errorCount - 32,
      count: peak.errorCount,
      wasPeak: true,
      isPeak: true,
      reason: "recount",
      peakId: peak.id,
    },
    select: { id: true },
  });
  try {
    await page.goto(`/peaks/${peak.id}`);
    await expect(page.getByRole("group", { name: /^Errors per window in / }).locator("svg.recharts-surface")).toBeVisible();
    const section = page.getByRole("region", { name: "This window was counted again" });
    const count = (value: number) => value.toLocaleString("en-US");
    await expect(section).toContainText(`Count corrected ${count(peak.errorCount - 32)} → ${count(peak.errorCount)} by late documents at`);
    await page.screenshot({ path: path.join(screenshots, "completeness-peak-correction.png"), fullPage: true });
    await expectNoSeriousAxeViolations(page);
  } finally {
    await database.prisma.windowCorrection.delete({ where: { id: correction.id } });
  }
});
