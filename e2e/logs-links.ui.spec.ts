import path from "node:path";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import type { PeakDetail, PeakPage } from "@/lib/peaks/contract";
import { enrichSamplePeaks } from "./support/enrich";
import { loginInBrowser, loginOverHttp } from "./support/login";
import { E2E_BASE_URL, E2E_LOGS_URL_TEMPLATE, e2eUsers } from "./support/users";

const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");
const WINDOW_MS = 15 * 60_000;

/** The template filled by hand (not by the product's builder): each value percent-encoded. */
function expectedLink(values: { namespace: string; from: string; to: string; trace_id: string }): string {
  return E2E_LOGS_URL_TEMPLATE.replace(/\{(namespace|from|to|trace_id)\}/g, (_, name: keyof typeof values) => encodeURIComponent(values[name]));
}

/** An enriched sample peak with a representative trace, as the API gives it. */
async function peakWithTrace(): Promise<PeakDetail> {
  const analyst = await playwrightRequest.newContext({ baseURL: E2E_BASE_URL });
  try {
    await loginOverHttp(analyst, e2eUsers.analyst.email, e2eUsers.analyst.password);
    await enrichSamplePeaks(analyst);
    const { peaks } = (await (await analyst.get("/api/peaks?limit=50")).json()) as PeakPage;
    for (const summary of peaks) {
      const response = await analyst.get(`/api/peaks/${summary.id}`);
      expect(response.status()).toBe(200);
      const peak = (await response.json()) as PeakDetail;
      if (peak.enrichment.investigation?.representativeTrace) return peak;
    }
    throw new Error("No sample peak among the newest 50 has a representative trace");
  } finally {
    await analyst.dispose();
  }
}

test("a peak's page links to the logs of its window and of its representative trace, in a new tab that cannot reach the page", async ({ page, context }) => {
  test.setTimeout(300_000);
  const peak = await peakWithTrace();
  const traceId = peak.enrichment.investigation!.representativeTrace!.traceId;
  const range = { namespace: peak.namespace, from: peak.timestamp, to: new Date(Date.parse(peak.timestamp) + WINDOW_MS).toISOString() };
  expect(range.from).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
  const windowHref = expectedLink({ ...range, trace_id: "" });
  const traceHref = expectedLink({ ...range, trace_id: traceId });
  // The API gives the same links the page shows.
  expect(peak.logLinks.window).toBe(windowHref);
  expect(peak.logLinks.traces[traceId]).toBe(traceHref);

  // The log tool is not there in the test: any request to it gets a stand-in page.
  await context.route("https://kibana.e2e.test/**", (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<title>Kibana stand-in</title><p>logs</p>" }),
  );

  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  await page.goto(`/peaks/${peak.id}`);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(`^Peak #${peak.id} in `) })).toBeVisible();

  const windowLink = page.getByRole("link", { name: "Open the logs of this window" });
  const traceLink = page.getByRole("link", { name: `Open the logs of trace ${traceId}` });
  await expect(windowLink).toHaveAttribute("href", windowHref);
  await expect(traceLink).toHaveAttribute("href", traceHref);
  for (const link of [windowLink, traceLink]) {
    await expect(link).toBeVisible();
    // It reads "Open logs ↗": the rest of its name is for screen readers only.
    expect((await link.boundingBox())!.width).toBeLessThan(120);
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(link).toHaveAttribute("rel", "noopener noreferrer");
    const href = new URL((await link.getAttribute("href"))!);
    expect(href.protocol).toBe("https:");
    expect(href.host).toBe("kibana.e2e.test");
  }
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: path.join(screenshots, "peak-logs-links.png"), fullPage: true });

  // Opening it: a new tab at exactly that address, without window.opener and without a Referer.
  let referer: string | undefined;
  await context.unroute("https://kibana.e2e.test/**");
  await context.route("https://kibana.e2e.test/**", async (route) => {
    referer = route.request().headers()["referer"];
    await route.fulfill({ status: 200, contentType: "text/html", body: "<title>Kibana stand-in</title><p>logs</p>" });
  });
  const [popup] = await Promise.all([context.waitForEvent("page"), windowLink.click()]);
  await popup.waitForLoadState();
  expect(popup.url()).toBe(windowHref);
  expect(await popup.evaluate(() => window.opener)).toBeNull();
  expect(referer).toBeUndefined();
  await popup.close();
  await expect(page).toHaveURL(`${E2E_BASE_URL}/peaks/${peak.id}`);
});

test("the icon is served to a signed-out browser, and the login page declares it", async ({ page, request }) => {
  for (const [url, type] of [
    ["/favicon.ico", "image/x-icon"],
    ["/icon.svg", "image/svg+xml"],
  ] as const) {
    const response = await request.get(url, { maxRedirects: 0 });
    expect(response.status(), url).toBe(200);
    expect(response.headers()["content-type"], url).toContain(type);
  }
  const failed: string[] = [];
  page.on("response", (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  await page.goto("/login");
  const icons = page.locator('head link[rel="icon"]');
  await expect(icons.first()).toBeAttached();
  for (const href of await icons.evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).href))) {
    const response = await request.get(href, { maxRedirects: 0 });
    expect(response.status(), href).toBe(200);
  }
  await page.waitForLoadState("networkidle");
  expect(failed).toEqual([]);
});
