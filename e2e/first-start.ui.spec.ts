import path from "node:path";
import { expect, test as base, type Page } from "@playwright/test";
import type { Database } from "@/lib/db/client";
import { e2eDatabase } from "./support/database";
import { loginInBrowser } from "./support/login";
import { e2eUsers } from "./support/users";

// The e2e server starts as `npm start` does on an empty database: the sample is loaded, then
// investigated by the first start's own step (start-server.ts). Its database names the two
// peaks that step triaged (the notes it left as `sample data`).
const test = base.extend<object, { database: Database }>({ database: e2eDatabase });

const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");

async function openPeak(page: Page, id: number) {
  await page.goto(`/peaks/${id}`);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(`^Peak #${id} in `) })).toBeVisible();
}

test("the first start shows investigated peaks, patterns, a known issue and a known peak", async ({ page, database }) => {
  const notes = await database.prisma.peakNote.findMany({ where: { actor: "sample data" }, orderBy: { id: "asc" }, select: { peakId: true } });
  expect(notes).toHaveLength(2);
  const [issuePeakId, resolvedPeakId] = notes.map((note) => note.peakId) as [number, number];
  const issue = await database.prisma.knownIssue.findFirstOrThrow({ where: { description: { startsWith: "Came with the sample data" } } });
  const knownPeak = await database.prisma.knownPeak.findFirstOrThrow({ where: { solution: { startsWith: "Example solution from the sample data" } } });

  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);

  // Every peak of the timeline is investigated: a root cause on each row, none "not investigated yet".
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Peaks" }).click();
  await page.getByRole("button", { name: "Every status" }).first().click();
  await expect(page).toHaveURL(/\/peaks\?status=all$/);
  const rows = page.getByRole("region", { name: "Timeline" }).locator("tr.pk-row");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(1);
  await expect(rows.filter({ hasText: "not investigated yet" })).toHaveCount(0);
  await expect(rows.filter({ hasText: `Known: ${issue.title}` }).first()).toBeVisible();

  // Patterns are stored.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Patterns" }).click();
  await expect(
    page
      .getByRole("region", { name: /\d+ patterns?/ })
      .locator("tbody tr")
      .first(),
  ).toBeVisible();

  // The known issue, with the peaks it labelled.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Known issues" }).click();
  await page.getByRole("link", { name: issue.title }).click();
  await expect(page.getByRole("heading", { name: issue.title, level: 1 })).toBeVisible();
  await expect(page.getByText(/^Came with the sample data/)).toBeVisible();
  const labelled = await database.prisma.peakInvestigation.count({ where: { knownIssueId: issue.id } });
  expect(labelled).toBeGreaterThan(1);
  const matched = page.getByRole("region", { name: "Matched peaks" });
  await expect(matched.locator(`a[href="/peaks/${issuePeakId}"]`)).toBeVisible();
  await expect(matched.locator('a[href^="/peaks/"]')).toHaveCount(labelled);
  await page.screenshot({ path: path.join(screenshots, "first-start-known-issue.png"), fullPage: true });

  // The peak it came from says who made it, and why.
  await openPeak(page, issuePeakId);
  await expect(page.getByRole("region", { name: "Known issue" })).toContainText(issue.title);
  const issueTrail = page.getByRole("list", { name: "Changes, newest first" });
  await expect(issueTrail).toContainText(`sample data created known issue #${issue.id} “${issue.title}” from it`);
  await expect(page.getByRole("list", { name: "Notes, newest first" })).toContainText("Came with the sample data");

  // The resolved peak: its solution in the audit trail, and its root cause a resolved incident on the pattern's page.
  await openPeak(page, resolvedPeakId);
  await expect(page.locator(".pk-head-meta .badge-resolved")).toHaveText("resolved");
  await expect(page.getByRole("list", { name: "Changes, newest first" })).toContainText(`sample data resolved it with the solution “${knownPeak.solution}”`);
  await page.screenshot({ path: path.join(screenshots, "first-start-known-peak.png"), fullPage: true });
  await page.goto(`/patterns/${knownPeak.patternIds[0]}`);
  await expect(page.getByRole("region", { name: "Known issues" })).toContainText(`${knownPeak.title} resolved incident`);
});
