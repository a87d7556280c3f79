import { expect, test as base, type Page } from "@playwright/test";
import type { Database } from "@/lib/db/client";
import type { ProblemDetail, ProblemPage } from "@/lib/problems/contract";
import { e2eDatabase } from "./support/database";
import { enrichSamplePeaks } from "./support/enrich";
import { loginInBrowser } from "./support/login";
import { axeViolations, screenshotAtBothSizes } from "./support/page-checks";
import { e2eUsers } from "./support/users";

// The Problems page and a problem's page on the sample data (it ends yesterday: the specs read
// the last 90 days), and the one action: a known issue created from a problem of its own, seeded
// and removed afterwards with the issue.

const test = base.extend<object, { database: Database }>({ database: e2eDatabase });

async function problemsOfSample(page: Page): Promise<ProblemPage> {
  await enrichSamplePeaks(page.request);
  const response = await page.request.get("/api/problems?since=90d&limit=50");
  expect(response.status()).toBe(200);
  const list = (await response.json()) as ProblemPage;
  if (list.problems.length < 2) throw new Error("The sample data has fewer than two problems in 90 days");
  return list;
}

test("the Problems page lists problems most actionable first; a problem's page shows its timeline, incidents and versions, and a viewer no action", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  const list = await problemsOfSample(page);

  await page.goto("/problems");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Problems" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { level: 1, name: "Problems" })).toBeVisible();
  // The period is in the URL.
  await page.getByLabel("Period").selectOption("90d");
  await expect(page).toHaveURL(/\/problems\?since=90d$/);
  const rows = page.locator("tr[data-problem-id]");
  await expect(rows).toHaveCount(list.problems.length);
  expect(await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute("data-problem-id")))).toEqual(
    list.problems.map((problem) => problem.id),
  );
  const first = list.problems[0]!;
  const firstRow = rows.first();
  // The trend in words with its figures, the scope in words.
  await expect(firstRow).toContainText(/growing|shrinking|stable/);
  await expect(firstRow).toContainText(`${first.trend.current.errors.toLocaleString("en-US")} errors`);
  await expect(firstRow).toContainText(first.scope.kind === "single" ? "one namespace" : first.scope.kind === "several" ? "several namespaces" : "systemic");
  // Unknown problems come before known ones.
  const known = list.problems.map((problem) => problem.knownIssue !== null);
  expect(known).toEqual([...known].sort((left, right) => Number(left) - Number(right)));
  const knownRow = list.problems.find((problem) => problem.knownIssue !== null);
  if (knownRow) await expect(page.locator(`tr[data-problem-id="${knownRow.id}"] a[href="/known-issues/${knownRow.knownIssue!.id}"]`)).toBeVisible();

  // Filters: known only, then a search that matches nothing says so and clears.
  await page.getByLabel("Known issue").selectOption("known");
  await expect(page).toHaveURL(/since=90d&known=known$/);
  await expect(rows).toHaveCount(list.problems.filter((problem) => problem.knownIssue !== null).length || 0);
  await page.getByLabel("Search").fill("no-such-problem-anywhere");
  await expect(page.getByRole("heading", { name: "No problem matches these filters" })).toBeVisible();
  await page.getByRole("button", { name: "Clear the filters" }).click();
  await expect(page).toHaveURL(/\/problems\?since=90d$/);
  await expect(rows).toHaveCount(list.problems.length);
  expect(await axeViolations(page)).toEqual([]);
  await screenshotAtBothSizes(page, "problems-list");

  // Keyboard: the problem's link takes focus and Enter opens its page, keeping the period.
  const link = firstRow.getByRole("link").first();
  await link.focus();
  await expect(link).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/problems/${first.id}\\?since=90d$`));
  await expect(page.getByRole("heading", { level: 1, name: /^Problem/ })).toBeVisible();

  const detail = (await (await page.request.get(`/api/problems/${first.id}?since=90d`)).json()) as ProblemDetail;
  await expect(page.getByRole("img", { name: /incidents? of the last 90 days by namespace/ })).toBeVisible();
  await expect(page.locator(".problem-timeline .recharts-scatter-symbol")).toHaveCount(detail.incidentList.length);
  const incidents = page.getByRole("table", { name: /incidents?, newest first/ });
  await expect(incidents.getByRole("row")).toHaveCount(detail.incidentList.length + 1);
  const incidentId = detail.incidentList.find((incident) => incident.incidentId !== null)?.incidentId;
  if (incidentId) await expect(incidents.getByRole("link", { name: `#${incidentId}` })).toHaveAttribute("href", `/incidents/${incidentId}`);
  await expect(page.getByTestId("problem-versions")).toContainText("Errors by version");
  await expect(page.getByRole("region", { name: "Known issue" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create known issue from this problem" })).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);
  await screenshotAtBothSizes(page, "problem-page");

  // An id no problem has: not found.
  const missing = await page.goto("/problems/ffffffffffffff-timeout");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "No such problem" })).toBeVisible();
});

test("an analyst creates a known issue from a problem; its page shows the issue and the action is gone", async ({ page, database }) => {
  test.setTimeout(300_000);
  // Its own problem, so that what other specs did to the sample's incidents (resolved, marked known) cannot take it away:
  // one incident still open, two windows whose root cause is a pattern of its own.
  const QUARTER = 15 * 60_000;
  const quarterNow = Math.floor(Date.now() / QUARTER) * QUARTER;
  const patternId = "e2eproblemknown01";
  const rootCause = "CircuitBreakerOpenException: inventory-api circuit is OPEN after 50 failures";
  await database.prisma.errorPattern.create({
    data: {
      patternHash: patternId,
      template: "CircuitBreakerOpenException: inventory-api circuit is OPEN after <NUM> failures",
      firstSeen: new Date(quarterNow - 3 * QUARTER),
      lastSeen: new Date(quarterNow - QUARTER),
    },
  });
  const { id: seededIncident } = await database.prisma.incident.create({
    data: { namespace: "payments", startedAt: new Date(quarterNow - 3 * QUARTER), lastWindowAt: new Date(quarterNow - 2 * QUARTER), status: "open" },
    select: { id: true },
  });
  await database.prisma.peakInvestigation.createMany({
    data: [3, 2].map((quartersAgo) => {
      const timestamp = new Date(quarterNow - quartersAgo * QUARTER);
      return {
        timestamp,
        namespace: "payments",
        dayOfWeek: timestamp.getUTCDay(),
        hourOfDay: timestamp.getUTCHours(),
        quarterHour: timestamp.getUTCMinutes() / 15,
        severity: "high",
        status: "open",
        errorCount: 900,
        baselineMean: 40,
        baselineStddev: 8,
        baselineSamples: 4,
        ratio: 900 / 40,
        requiredRatio: 3,
        average24h: 38,
        referenceCounts: [40, 41, 39],
        incidentId: seededIncident,
        rootCause,
        rootCausePatternId: patternId,
        errorType: "circuit_open",
        enrichedAt: new Date(quarterNow - QUARTER),
      };
    }),
  });
  await loginInBrowser(page, e2eUsers.analyst.email, e2eUsers.analyst.password);
  const listed = (await (await page.request.get("/api/problems?since=24h&limit=200")).json()) as ProblemPage;
  const problem = listed.problems.find((candidate) => candidate.patternId === patternId);
  if (!problem) throw new Error(`The seeded problem ${patternId} is not listed`);
  expect(problem.knownIssue).toBeNull();
  const detail = (await (await page.request.get(`/api/problems/${problem.id}?since=90d`)).json()) as ProblemDetail;
  expect(detail.incidentList.map((incident) => [incident.incidentId, incident.status])).toEqual([[seededIncident, "open"]]);
  const title = `Problem ${problem.errorType} from the end-to-end test`;
  try {
    await page.goto(`/problems/${problem.id}?since=90d`);
    const open = page.getByRole("button", { name: "Create known issue from this problem" });
    await open.click();
    const panel = page.getByRole("region", { name: "Create known issue from this problem" });
    const titleField = panel.getByLabel("Title");
    await expect(titleField).toBeFocused();
    await expect(titleField).not.toHaveValue("");
    // Escape closes it and gives focus back to its button.
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
    await expect(open).toBeFocused();
    await page.keyboard.press("Enter");
    await titleField.fill(title);
    await panel.getByLabel("Also label the other open peaks with this root cause").uncheck();
    expect(await axeViolations(page)).toEqual([]);
    await panel.getByRole("button", { name: "Create known issue" }).click();
    const notice = page.getByRole("status").filter({ hasText: "created" });
    await expect(notice).toContainText(title);
    await expect(notice).toContainText(/created; [1-9]\d* incidents? marked known with it/);
    const section = page.getByRole("region", { name: "Known issue" });
    await expect(section.getByRole("link", { name: new RegExp(title) })).toBeVisible();
    await expect(open).toHaveCount(0);
    const after = (await (await page.request.get(`/api/problems/${problem.id}?since=90d`)).json()) as ProblemDetail;
    expect(after.knownIssue?.title).toBe(title);

    // A second one is refused: the problem has one now.
    const again = await page.request.post(`/api/problems/${problem.id}/known-issue`, { data: { title, since: "90d" } });
    expect(again.status()).toBe(409);
    expect(((await again.json()) as { message: string }).message).toContain("already has known issue");
  } finally {
    await database.prisma.peakInvestigation.deleteMany({ where: { incidentId: seededIncident } });
    await database.prisma.incident.deleteMany({ where: { id: seededIncident } });
    await database.prisma.knownIssue.deleteMany({ where: { title } });
    await database.prisma.errorPattern.deleteMany({ where: { patternHash: patternId } });
  }
});
