import path from "node:path";
import { expect, test as base, type APIRequestContext, type Page } from "@playwright/test";
import type { Database } from "@/lib/db/client";
import type { KnownIssueSummary } from "@/lib/known-issues/contract";
import { e2eDatabase } from "./support/database";
import { enrichSamplePeaks } from "./support/enrich";
import { loginInBrowser, loginOverHttp } from "./support/login";
import { e2eUsers } from "./support/users";

// The e2e server's database: to check which peaks a new issue labelled, and to open them again
// for the specs that follow (reopening through the API keeps a peak's known issue).
const test = base.extend<object, { database: Database }>({ database: e2eDatabase });

const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");
const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

// Only the parts of the peaks API this spec reads.
type PeakList = { peaks: { id: number; namespace: string; rootCause: string | null }[] };
type PeakDetail = { enrichment: { investigation: { rootCauses: { patternId: string }[]; patterns: { patternId: string }[] } | null } };

/**
 * A root-cause pattern id of a sample peak and that peak's namespace. The e2e server's first
 * start investigated the sample; should no peak be enriched, they are enriched here.
 */
async function findSamplePattern(request: APIRequestContext): Promise<{ patternId: string; namespace: string }> {
  const enrichedPeak = async () => {
    const response = await request.get("/api/peaks?limit=200");
    expect(response.status()).toBe(200);
    return ((await response.json()) as PeakList).peaks.find((peak) => peak.rootCause !== null) ?? null;
  };
  let peak = await enrichedPeak();
  if (!peak) {
    await enrichSamplePeaks(request);
    peak = await enrichedPeak();
  }
  if (!peak) throw new Error("No sample peak could be investigated");
  const detail = (await (await request.get(`/api/peaks/${peak.id}`)).json()) as PeakDetail;
  const investigation = detail.enrichment.investigation;
  const patternId = (investigation?.rootCauses[0] ?? investigation?.patterns[0])?.patternId;
  if (!patternId) throw new Error(`Peak ${peak.id} has no stored pattern`);
  return { patternId, namespace: peak.namespace };
}

test("an analyst creates a known issue with a live preview, edits its scope and resolves it", async ({ page, database }) => {
  test.setTimeout(300_000);
  await loginInBrowser(page, e2eUsers.analyst.email, e2eUsers.analyst.password);
  const sample = await findSamplePattern(page.request);
  const title = `Sample incident ${Date.now()}`;

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Known issues" }).click();
  await expect(page.getByRole("heading", { name: "Known issues", level: 1 })).toBeVisible();
  // The empty list offers the same link in its text.
  await page.getByRole("link", { name: "New known issue" }).first().click();
  await expect(page.getByRole("heading", { name: "New known issue", level: 1 })).toBeVisible();

  // The form's own check, with the API's schema, before anything is sent.
  await page.getByRole("button", { name: "Create known issue" }).click();
  await expect(page.getByText("Some fields need fixing")).toBeVisible();
  await expect(page.getByLabel("Title", { exact: true })).toBeFocused();

  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByRole("textbox", { name: "Pattern id 1", exact: true }).fill(sample.patternId);
  const preview = page.getByRole("region", { name: "Would-match preview", exact: true });
  const count = preview.getByRole("status");
  await expect(count).toHaveText(/^Would match [1-9][\d,]* peaks? in the last 30 days/);
  await expect(preview.getByRole("row")).not.toHaveCount(0);
  await expect(preview.getByRole("cell", { name: sample.namespace }).first()).toBeVisible();

  // An invalid regex: the preview shows the server's reason, and saving shows it under its row.
  await page.getByRole("button", { name: "Add regex" }).click();
  await expect(page.getByRole("textbox", { name: "Regex 1", exact: true })).toBeFocused();
  await page.getByRole("textbox", { name: "Regex 1", exact: true }).fill("(unclosed");
  await expect(preview.getByRole("alert")).toContainText('"(unclosed" is not a valid regular expression');
  await page.getByRole("button", { name: "Create known issue" }).click();
  await expect(page.getByRole("textbox", { name: "Regex 1", exact: true })).toBeFocused();
  await expect(page.getByRole("textbox", { name: "Regex 1", exact: true })).toHaveAttribute("aria-invalid", "true");
  await shoot(page, "known-issues-new-invalid");
  await page.getByRole("button", { name: "Remove regex 1", exact: true }).click();
  await expect(count).toHaveText(/^Would match [1-9]/);
  // What saving labels at once: the open peaks without an issue it matches (the same function decides).
  const labels = preview.getByTestId("preview-labels");
  await expect(labels).toHaveText(/^Creating it labels (no open peak|[\d,]+ open peaks? without a known issue)/);
  const promised = Number(/labels ([\d,]+) open/.exec((await labels.textContent()) ?? "")?.[1]?.replace(/,/g, "") ?? 0);
  await shoot(page, "known-issues-new");

  await page.getByRole("button", { name: "Create known issue" }).click();
  await expect(page).toHaveURL(/\/known-issues\/\d+$/);
  const issueId = Number(/\/known-issues\/(\d+)$/.exec(page.url())?.[1]);
  const labelled = await database.prisma.peakInvestigation.findMany({ where: { knownIssueId: issueId }, select: { id: true, status: true } });
  try {
    // Exactly as many open peaks as the preview promised, each now labelled with the issue.
    expect(labelled).toHaveLength(promised);
    expect(labelled.every((peak) => peak.status === "known_issue")).toBe(true);
    await checkTheIssue(page, sample, title);
  } finally {
    await database.prisma.peakInvestigation.updateMany({
      where: { id: { in: labelled.map((peak) => peak.id) } },
      data: { status: "open", knownIssueId: null },
    });
  }
});

/** The rest of the first test, on the created issue's page: the list, an edit of the scope, the resolution. */
async function checkTheIssue(page: Page, sample: { patternId: string; namespace: string }, title: string) {
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  const facts = page.getByRole("region", { name: "Facts" });
  await expect(facts).toContainText(sample.patternId);
  await expect(facts).toContainText("everywhere");
  const issueUrl = page.url();

  await page.getByRole("link", { name: "Known issues", exact: true }).first().click();
  await expect(page.getByRole("heading", { name: "Known issues", level: 1 })).toBeVisible();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: title }) });
  await expect(row).toContainText("1 pattern");
  await expect(row).toContainText("active");
  await page.getByLabel("Search", { exact: true }).fill(title);
  await expect(page).toHaveURL(/\?q=Sample\+incident/);
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await shoot(page, "known-issues-list");

  await row.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(issueUrl);
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await expect(page.getByLabel("Title", { exact: true })).toBeFocused();
  await page.getByRole("textbox", { name: "Namespace", exact: true }).fill(sample.namespace);
  await expect(page.getByRole("region", { name: "Would-match preview", exact: true }).getByRole("status")).toHaveText(/^Would match [1-9]/);
  await shoot(page, "known-issues-edit");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(page.getByRole("region", { name: "Facts" }).getByText(sample.namespace, { exact: true })).toBeVisible();

  await page.getByLabel("Solution", { exact: true }).fill("Raised the connection pool and restarted the consumers.");
  await page.getByRole("button", { name: "Resolve with solution" }).click();
  await expect(page.getByRole("button", { name: "Confirm: resolve" })).toBeFocused();
  await shoot(page, "known-issues-resolve-confirm");
  await page.getByRole("button", { name: "Confirm: resolve" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Resolved\. Known peak #\d+/ })).toBeVisible();
  const resolution = page.getByRole("region", { name: "Resolution" });
  await expect(resolution).toContainText("Raised the connection pool");
  await expect(resolution.getByText(/^#\d+$/)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("resolved");
  await expect(page.getByRole("button", { name: "Edit", exact: true })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("region", { name: "Resolution" })).toContainText(`by ${e2eUsers.analyst.email}`);
  await shoot(page, "known-issues-resolved");
}

test("a viewer reads the list and a known issue but gets no controls to change them", async ({ page, playwright, baseURL }) => {
  const analyst = await playwright.request.newContext({ baseURL });
  expect((await loginOverHttp(analyst, e2eUsers.analyst.email, e2eUsers.analyst.password)).ok()).toBe(true);
  const created = await analyst.post("/api/known-issues", {
    data: { title: `Viewer check ${Date.now()}`, regexes: ["never seen in the sample \\d+"], namespace: "payments", description: "Seen by a viewer." },
  });
  expect(created.status()).toBe(201);
  const issue = (await created.json()) as KnownIssueSummary;
  await analyst.dispose();

  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  await page.goto("/known-issues?status=active");
  await expect(page.getByRole("heading", { name: "Known issues", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Status", { exact: true })).toHaveValue("active");
  await expect(page.getByRole("link", { name: "New known issue" })).toHaveCount(0);
  // At 1440 px every column fits in the card, long exception names in titles included (the
  // first start's issue is titled by one): the status column is not pushed out of view.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/known-issues");
  const table = page.locator(".ki-table").locator("xpath=..");
  await expect(page.locator(".ki-table tbody tr").first()).toBeVisible();
  expect(await table.evaluate((box) => box.scrollWidth - box.clientWidth)).toBeLessThanOrEqual(1);
  await page.goto("/known-issues?status=active");
  await page.getByRole("link", { name: issue.title }).click();
  await expect(page.getByRole("heading", { name: issue.title, level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Facts" })).toContainText("Seen by a viewer.");
  await expect(page.getByRole("region", { name: "Matched peaks" })).toContainText("No peak is labelled with this issue yet");
  await expect(page.getByRole("button", { name: "Edit", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Resolve/ })).toHaveCount(0);
  await expect(page.getByLabel("Solution", { exact: true })).toHaveCount(0);
  await shoot(page, "known-issues-viewer");

  await page.goto("/known-issues/new");
  await expect(page.getByRole("heading", { name: "Analysts only" })).toBeVisible();
});
