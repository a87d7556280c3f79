import path from "node:path";
import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from "@playwright/test";
import { formatLevelOffset, newNormalMarkerText } from "@/components/new-normal/format";
import type { PeakDetail, PeakPage, PeakSummary } from "@/lib/peaks/contract";
import type { NewNormalPreview, NewNormalRecord } from "@/lib/new-normal/contract";
import { loginInBrowser, loginOverHttp } from "./support/login";
import { E2E_BASE_URL, e2eUsers } from "./support/users";

const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");
const DAY_MS = 86_400_000;

/**
 * The first window of the newest incident a day or more old: its windows since are plenty to
 * measure the new level on, and it lies inside the namespace page's default range (the last 7
 * days), so the chart shows its marker.
 */
async function incidentOfLastWeek(request: APIRequestContext): Promise<PeakSummary> {
  const response = await request.get("/api/peaks?limit=200");
  expect(response.status()).toBe(200);
  const { peaks } = (await response.json()) as PeakPage;
  const now = Date.now();
  const age = (peak: PeakSummary) => now - Date.parse(peak.timestamp);
  const peak = peaks.find((candidate) => candidate.continuesPeakId === null && age(candidate) > DAY_MS && age(candidate) < 6.5 * DAY_MS);
  if (!peak) throw new Error("The sample data has no incident between 1 and 6.5 days old");
  return peak;
}

async function newNormalsOf(request: APIRequestContext, namespace: string): Promise<NewNormalRecord[]> {
  const response = await request.get(`/api/new-normal?${new URLSearchParams({ namespace }).toString()}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as NewNormalRecord[];
}

/** A request context signed in as the analyst, for what the tests set up and clean up through the API. */
async function analystRequest(): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL: E2E_BASE_URL });
  await loginOverHttp(context, e2eUsers.analyst.email, e2eUsers.analyst.password);
  return context;
}

async function openPeakIds(request: APIRequestContext): Promise<number[]> {
  const response = await request.get("/api/peaks?status=open&limit=200");
  expect(response.status()).toBe(200);
  return ((await response.json()) as PeakPage).peaks.map((peak) => peak.id);
}

// Accepting acknowledges the namespace's open peaks since the start, and taking back leaves them
// so: the peaks these tests acknowledged are reopened after them, for the specs that follow.
let openBefore: number[] = [];
test.beforeAll(async () => {
  const analyst = await analystRequest();
  openBefore = await openPeakIds(analyst);
  await analyst.dispose();
});
// A test that failed half-way leaves no new normal in force for the next: the newest go back first.
test.afterEach(async () => {
  const analyst = await analystRequest();
  const response = await analyst.get("/api/new-normal");
  expect(response.status()).toBe(200);
  for (const record of ((await response.json()) as NewNormalRecord[]).filter((entry) => entry.revertedAt === null).sort((left, right) => right.id - left.id)) {
    expect((await analyst.post(`/api/new-normal/${record.id}/take-back`, { data: {} })).status(), `taking back new normal ${record.id}`).toBe(200);
  }
  await analyst.dispose();
});
test.afterAll(async () => {
  const analyst = await analystRequest();
  const stillOpen = new Set(await openPeakIds(analyst));
  for (const id of openBefore.filter((peakId) => !stillOpen.has(peakId))) {
    // Reopening a window reopens its whole incident: a later window of it may be open already.
    const current = await analyst.get(`/api/peaks/${id}`);
    expect(current.status()).toBe(200);
    if (((await current.json()) as { status: string }).status === "open") continue;
    const reopened = await analyst.post(`/api/peaks/${id}/actions`, { data: { action: "reopen" } });
    expect(reopened.status(), `reopening peak ${id}`).toBe(200);
  }
  await analyst.dispose();
});

async function openPeak(page: Page, id: number) {
  await page.goto(`/peaks/${id}`);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(`^Peak #${id} in `) })).toBeVisible();
}

/** Both widths the pages must work at: a laptop, and a phone (where nothing may overflow the page). */
async function screenshotAtBothWidths(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    // Nothing sticks out sideways: the page scrolls only vertically (wide tables scroll in their own
    // box). Polled: the charts take the new width a moment after the window's.
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), {
        message: `${name} at ${width} px scrolls sideways`,
      })
      .toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(screenshots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 820 });
}

test("an analyst previews and accepts a peak's level as the new normal, finds it on the namespace page and takes it back", async ({ page }) => {
  test.setTimeout(120_000);
  await loginInBrowser(page, e2eUsers.analyst.email, e2eUsers.analyst.password);
  const peak = await incidentOfLastWeek(page.request);
  const comment = `e2e: release 4.2 adds a steady error (peak ${peak.id})`;
  await openPeak(page, peak.id);
  await expect(page.getByRole("region", { name: "Why it was flagged" })).toContainText(/It passed all \w+ checks:/);

  // The panel measures first, and says what accepting would do in words.
  const opener = page.getByRole("button", { name: "Accept as the new normal" });
  await opener.click();
  const panel = page.getByRole("region", { name: "Accept as the new normal" });
  const preview = panel.getByRole("status");
  await expect(preview).toContainText(
    new RegExp(
      `^From \\d{1,2} \\w{3} \\d{4}, \\d{2}:\\d{2}, ${peak.namespace} runs (about [+−][\\d.,]+ errors? a window (above|below) its baseline|at its baseline, with no measurable change) \\(measured on [\\d,]+ windows\\)\\.`,
    ),
  );
  await expect(preview).toContainText(
    "Accepting makes that level normal: every slot of the namespace is re-seeded by it. Peaks already flagged stay on record: ",
  );
  // This peak is open, so it is among those named.
  await expect(preview).toContainText(
    new RegExp(
      `(peak #${peak.id}, open since then, is acknowledged|the open peaks since then \\(.*#\\d+.*\\) are acknowledged)\\. You can take it back on the namespace page\\.`,
    ),
  );
  await expect(panel.getByLabel("Comment (optional)")).toBeFocused();
  // Escape closes the panel without writing anything, and gives focus back to its button.
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(opener).toBeFocused();
  expect(await newNormalsOf(page.request, peak.namespace)).toEqual([]);

  await opener.click();
  await expect(panel.getByRole("button", { name: "Accept", exact: true })).toBeEnabled();
  await panel.getByLabel("Comment (optional)").fill(comment);
  await screenshotAtBothWidths(page, "new-normal-panel");
  await panel.getByRole("button", { name: "Accept", exact: true }).click();

  const notice = page.getByRole("status").filter({ hasText: "Accepted as the new normal" });
  await expect(notice).toContainText(
    new RegExp(`Accepted as the new normal of ${peak.namespace} from .*: its baseline moved by [+−±][\\d.,]+ errors a window`),
  );
  await expect(panel).toBeHidden();
  // The incident's open peaks are acknowledged, this one among them: the page shows it.
  await expect(page.locator(".pk-head-meta .badge-acknowledged")).toHaveText("acknowledged");
  const [record] = await newNormalsOf(page.request, peak.namespace);
  expect(record).toMatchObject({
    peakId: peak.id,
    comment,
    acceptedBy: e2eUsers.analyst.email,
    revertedAt: null,
    from: new Date(Date.parse(peak.timestamp)).toISOString(),
  });

  // The namespace page: a marker on the chart, and the acceptance in its table.
  await notice.getByRole("link", { name: `the namespace page of ${peak.namespace}` }).click();
  await expect(page.getByRole("heading", { name: peak.namespace, level: 1 })).toBeVisible();
  const chart = page.getByRole("group", { name: new RegExp(`^Errors of ${peak.namespace} against its baseline`) });
  const marker = chart.locator(".chart-new-normal");
  await expect(marker).toHaveCount(1);
  await expect(marker.locator("text")).toHaveText(newNormalMarkerText(record!.levelOffset, false));
  await expect(chart).toHaveAttribute("aria-label", new RegExp(newNormalMarkerText(record!.levelOffset, false).replace(/[+.]/g, "\\$&")));
  const section = page.getByRole("region", { name: "Accepted new normals" });
  const row = section.getByRole("row").filter({ hasText: comment });
  await expect(row).toContainText("in force");
  await expect(row).toContainText(e2eUsers.analyst.email);
  await expect(row).toContainText(`${formatLevelOffset(record!.levelOffset)}/window`);
  await expect(row.getByRole("link", { name: `from peak #${peak.id}` })).toBeVisible();
  await screenshotAtBothWidths(page, "new-normal-namespace");

  // Taking back asks first; Cancel changes nothing.
  const takeBack = row.getByRole("button", { name: "Take back…" });
  await takeBack.click();
  const confirm = section.getByRole("group", { name: "Take back the new normal" });
  await expect(confirm).toContainText(`Take back the new normal of ${peak.namespace} from`);
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(takeBack).toBeFocused();
  expect((await newNormalsOf(page.request, peak.namespace))[0]!.revertedAt).toBeNull();

  await takeBack.click();
  await screenshotAtBothWidths(page, "new-normal-take-back-confirm");
  await confirm.getByRole("button", { name: "Take back now" }).click();
  await expect(section.getByRole("status")).toContainText(`Taken back: the new normal of ${peak.namespace} from`);
  await expect(row).toContainText(`taken back by ${e2eUsers.analyst.email} at`);
  await expect(section.getByRole("button", { name: /Take back/ })).toHaveCount(0);
  // The chart is refreshed with the list: the marker stays, greyed, and says it was taken back.
  await expect(marker).toHaveClass(/is-taken-back/);
  await expect(marker.locator("text")).toHaveText(newNormalMarkerText(record!.levelOffset, true));
  await screenshotAtBothWidths(page, "new-normal-taken-back");
  const [reverted] = await newNormalsOf(page.request, peak.namespace);
  expect(reverted).toMatchObject({ id: record!.id, revertedBy: e2eUsers.analyst.email });
});

test("refusals are shown in the API's words: too few windows yet, and a new normal taken back meanwhile", async ({ page }) => {
  test.setTimeout(120_000);
  await loginInBrowser(page, e2eUsers.analyst.email, e2eUsers.analyst.password);
  const peak = await incidentOfLastWeek(page.request);

  // Too few windows since the start: the sample is days old, so the API's answer is played back.
  const tooFew = `The new level of ${peak.namespace} is measured on its windows since 14:15: 2 are stored, at least 4 are needed. Try again later, or choose an earlier window.`;
  await page.route("**/api/new-normal", async (route) => {
    const body = route.request().postDataJSON() as { preview?: boolean } | null;
    if (route.request().method() !== "POST" || body?.preview !== true) return route.fallback();
    await route.fulfill({ status: 400, json: { error: "invalid_input", message: tooFew, details: [{ path: "from", message: "2 windows stored since" }] } });
  });
  await openPeak(page, peak.id);
  await page.getByRole("button", { name: "Accept as the new normal" }).click();
  const panel = page.getByRole("region", { name: "Accept as the new normal" });
  await expect(panel.getByRole("alert")).toHaveText(`Could not measure the new level: ${tooFew}`);
  await expect(panel.getByRole("button", { name: "Accept", exact: true })).toBeDisabled();
  await page.unroute("**/api/new-normal");

  // A page loaded before the new normal was taken back elsewhere: the 409 is shown, the list refreshed.
  const accepted = await page.request.post("/api/new-normal", { data: { peakId: peak.id, comment: "e2e: taken back elsewhere" } });
  expect(accepted.status()).toBe(201);
  const { accepted: record } = (await accepted.json()) as { accepted: NewNormalRecord };
  await page.goto(`/namespaces/${encodeURIComponent(peak.namespace)}`);
  const section = page.getByRole("region", { name: "Accepted new normals" });
  const row = section.getByRole("row").filter({ hasText: "e2e: taken back elsewhere" });
  await expect(row.getByRole("button", { name: "Take back…" })).toBeVisible();
  expect((await page.request.post(`/api/new-normal/${record.id}/take-back`, { data: {} })).status()).toBe(200);
  await row.getByRole("button", { name: "Take back…" }).click();
  await section.getByRole("button", { name: "Take back now" }).click();
  await expect(section.getByRole("alert")).toContainText(`Could not take it back: Accepted new normal ${record.id} was already taken back`);
  await expect(row).toContainText(`taken back by ${e2eUsers.analyst.email}`);
  await expect(section.getByRole("button", { name: /Take back/ })).toHaveCount(0);
});

test("a viewer sees accepted new normals but can neither accept nor take one back", async ({ page }) => {
  // An acceptance in force while the viewer looks, by an analyst, taken back at the end.
  const analyst = await analystRequest();
  const peak = await incidentOfLastWeek(analyst);
  const detail = (await (await analyst.get(`/api/peaks/${peak.id}`)).json()) as PeakDetail;
  const accepted = await analyst.post("/api/new-normal", { data: { peakId: peak.id, comment: "e2e: seen by a viewer" } });
  expect(accepted.status()).toBe(201);
  const { accepted: record } = (await accepted.json()) as { accepted: NewNormalRecord };
  try {
    await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
    await openPeak(page, detail.id);
    await expect(page.getByRole("region", { name: "Why it was flagged" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Accept as the new normal" })).toHaveCount(0);

    await page.goto(`/namespaces/${encodeURIComponent(peak.namespace)}`);
    const section = page.getByRole("region", { name: "Accepted new normals" });
    await expect(section.getByRole("row").filter({ hasText: "e2e: seen by a viewer" })).toContainText("in force");
    await expect(
      page.getByRole("group", { name: new RegExp(`^Errors of ${peak.namespace} against its baseline`) }).locator(".chart-new-normal:not(.is-taken-back)"),
    ).toHaveCount(1);
    await expect(section.getByRole("button")).toHaveCount(0);

    // The API refuses them too.
    const preview = await page.request.post("/api/new-normal", { data: { peakId: peak.id, preview: true } });
    expect(preview.status()).toBe(403);
    const takeBack = await page.request.post(`/api/new-normal/${record.id}/take-back`, { data: {} });
    expect(takeBack.status()).toBe(403);
  } finally {
    const reverted = await analyst.post(`/api/new-normal/${record.id}/take-back`, { data: {} });
    expect(reverted.status()).toBe(200);
    await analyst.dispose();
  }
});

test("the preview measures without writing", async ({ request }) => {
  await loginOverHttp(request, e2eUsers.analyst.email, e2eUsers.analyst.password);
  const peak = await incidentOfLastWeek(request);
  const before = await newNormalsOf(request, peak.namespace);
  const response = await request.post("/api/new-normal", { data: { peakId: peak.id, preview: true } });
  expect(response.status()).toBe(200);
  const { preview } = (await response.json()) as { preview: NewNormalPreview };
  expect(preview).toMatchObject({ namespace: peak.namespace, from: new Date(Date.parse(peak.timestamp)).toISOString() });
  expect(preview.windows).toBeGreaterThanOrEqual(4);
  expect(await newNormalsOf(request, peak.namespace)).toEqual(before);
});
