import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { enrichSamplePeaks } from "./support/enrich";
import { loginInBrowser, loginOverHttp } from "./support/login";
import { E2E_BASE_URL, e2eUsers } from "./support/users";

const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");

/** Names of every control that changes something, on any page. */
const changingControls =
  /^(Run now|New known issue|Edit|Save|Resolve|Resolve…|Acknowledge|Reopen|Mark as known issue|Mark false positive|False positive|Attach|Add note|Backtest|Restore…|Load into the form|Create user|Disable|Enable|Accept|Take back)\b/i;

type Ids = { peakId: number; knownIssueId: number; patternHash: string; namespace: string };

async function json<T>(context: APIRequestContext, url: string): Promise<T> {
  const response = await context.get(url);
  expect(response.status(), url).toBe(200);
  return (await response.json()) as T;
}

/** Real ids from the sample data; a known issue is created by an analyst when the sample has none. */
async function sampleIds(): Promise<Ids> {
  const analyst = await playwrightRequest.newContext({ baseURL: E2E_BASE_URL });
  await loginOverHttp(analyst, e2eUsers.analyst.email, e2eUsers.analyst.password);
  await enrichSamplePeaks(analyst);
  const peaks = await json<{ peaks: { id: number; namespace: string }[] }>(analyst, "/api/peaks?limit=1");
  const patterns = await json<{ patterns: { hash: string }[] }>(analyst, "/api/patterns?limit=1");
  let { knownIssues } = await json<{ knownIssues: { id: number }[] }>(analyst, "/api/known-issues");
  if (knownIssues.length === 0) {
    const created = await analyst.post("/api/known-issues", { data: { title: "Viewer spec issue", regexes: ["viewer-spec-matches-nothing"] } });
    expect(created.status()).toBe(201);
    ({ knownIssues } = await json<{ knownIssues: { id: number }[] }>(analyst, "/api/known-issues"));
  }
  await analyst.dispose();
  return { peakId: peaks.peaks[0]!.id, namespace: peaks.peaks[0]!.namespace, knownIssueId: knownIssues[0]!.id, patternHash: patterns.patterns[0]!.hash };
}

test("a viewer sees every page, with no control that changes anything, and the pages pass an accessibility scan", async ({ page }) => {
  test.setTimeout(180_000);
  const ids = await sampleIds();
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  const pages = [
    "/",
    "/peaks",
    `/peaks/${ids.peakId}`,
    `/namespaces/${encodeURIComponent(ids.namespace)}`,
    "/known-issues",
    `/known-issues/${ids.knownIssueId}`,
    "/patterns",
    `/patterns/${ids.patternHash}`,
    "/runs",
    "/thresholds",
  ];
  const violations: string[] = [];
  for (const url of pages) {
    await page.goto(url);
    await expect(page.getByRole("heading", { level: 1 }), url).toBeVisible();
    await page.waitForLoadState("networkidle");
    await expect(page.getByRole("button", { name: changingControls }), url).toHaveCount(0);
    await expect(page.getByRole("link", { name: changingControls }), url).toHaveCount(0);
    const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
    for (const violation of scan.violations.filter((entry) => entry.impact === "serious" || entry.impact === "critical")) {
      violations.push(
        `${url}: ${violation.id} (${violation.impact}) on ${violation.nodes
          .map((node) => node.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
      );
    }
  }
  await page.screenshot({ path: path.join(screenshots, "viewer-thresholds.png"), fullPage: true });
  expect(violations).toEqual([]);
});

test("every change a viewer attempts through the API is refused with 403", async ({ request }) => {
  const ids = await sampleIds();
  await loginOverHttp(request, e2eUsers.viewer.email, e2eUsers.viewer.password);
  const attempts: { method: "post" | "patch"; url: string; data: unknown }[] = [
    { method: "post", url: `/api/peaks/${ids.peakId}/actions`, data: { action: "acknowledge" } },
    { method: "post", url: `/api/peaks/${ids.peakId}/actions`, data: { action: "false_positive" } },
    { method: "post", url: `/api/peaks/${ids.peakId}/actions`, data: { action: "resolve", solution: "nope" } },
    { method: "post", url: `/api/peaks/${ids.peakId}/notes`, data: { text: "nope" } },
    { method: "post", url: "/api/known-issues", data: { title: "nope", regexes: ["x"] } },
    { method: "patch", url: `/api/known-issues/${ids.knownIssueId}`, data: { title: "nope" } },
    { method: "post", url: `/api/known-issues/${ids.knownIssueId}/resolve`, data: { solution: "nope" } },
    { method: "post", url: "/api/pipeline/runs", data: {} },
    { method: "post", url: "/api/thresholds", data: { values: {}, basedOnVersion: null } },
    { method: "post", url: "/api/thresholds/restore", data: { version: 1 } },
    { method: "post", url: "/api/users", data: { email: "nope@example.com", role: "admin" } },
  ];
  for (const attempt of attempts) {
    const response = await request[attempt.method](attempt.url, { data: attempt.data });
    expect(response.status(), `${attempt.method.toUpperCase()} ${attempt.url}`).toBe(403);
  }
  // Nothing changed: the peak is as it was.
  const peak = await json<{ notes: unknown[]; status: string }>(request, `/api/peaks/${ids.peakId}`);
  expect(peak.notes.filter((note) => JSON.stringify(note).includes("nope"))).toEqual([]);
});
