import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { localInputToInstant } from "../app/(dashboard)/namespaces/[namespace]/search-params";
import type { NamespaceList } from "../lib/namespaces/contract";
import { loginInBrowser } from "./support/login";
import { e2eUsers } from "./support/users";

const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");
// The sample data's namespaces (start-server.ts generates two).
const sampleNamespaces = ["orders", "payments"];

// A browser in another timezone than the dashboard's: every time shown and typed must follow the dashboard's.
test.use({ timezoneId: "America/New_York" });

async function openNamespace(page: Page, query = "") {
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  await page.goto(`/namespaces/payments${query}`);
  await expect(page.getByRole("heading", { name: "payments", level: 1 })).toBeVisible();
}

test("the overview shows every namespace's newest window against its threshold and last 24 hours, and opens its chart", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  const card = page.getByRole("region", { name: "Namespaces now" });
  for (const namespace of sampleNamespaces) {
    const row = card.getByRole("row").filter({ has: page.getByRole("link", { name: namespace, exact: true }) });
    await expect(row.getByRole("img", { name: /errors? in 24 h, (expected about [\d,]+|no baseline yet)|No windows stored in the last 24 h/ })).toBeVisible();
    await expect(row.locator("svg")).toBeVisible();
    // The sample ends yesterday: the newest window is not the last completed one.
    await expect(row.locator(".window-state")).toContainText(/no data since/);
    await expect(row.getByRole("cell").nth(2)).toHaveText(/^[\d,]+$/);
  }
  await expect(page.getByRole("list", { name: "Open incidents by severity" }).getByRole("listitem")).toHaveCount(4);
  await page.screenshot({ path: path.join(screenshots, "overview-namespaces.png"), fullPage: true });

  await card.getByRole("link", { name: "All namespaces" }).click();
  await expect(page.getByRole("heading", { name: "Namespaces", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: "Last 24 hours" }).getByRole("row")).toHaveCount(sampleNamespaces.length + 1);
  await page.screenshot({ path: path.join(screenshots, "namespaces-index.png"), fullPage: true });
  await page.goBack();

  await card.getByRole("link", { name: "payments", exact: true }).click();
  await expect(page).toHaveURL(/\/namespaces\/payments$/);
  await expect(page.getByRole("heading", { name: "payments", level: 1 })).toBeVisible();
  const chart = page.getByRole("group", { name: /^Errors of payments against its baseline/ });
  await expect(chart.locator("svg.recharts-surface")).toBeVisible();
  await expect(page.getByText(/Each point is the busiest 15-minute window of 30 min/)).toBeVisible();
});

test("a range that starts before the stored data says where the data starts, and draws no zeros before it", async ({ page }) => {
  // The sample holds E2E_SAMPLE_DAYS (28) days: 90 days start long before it.
  await openNamespace(page, "?range=90d");
  const card = page.getByRole("region").filter({ has: page.locator("#chart-heading") });
  await expect(card.getByRole("note")).toHaveText(/^Data starts \d{1,2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2}: nothing was stored for payments before/);
  const chart = page.getByRole("group", { name: /^Errors of payments against its baseline/ });
  await expect(chart).toHaveAttribute("aria-label", /data starts \d{1,2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2}, nothing was stored before/);
  await expect(chart.locator(".chart-data-start text")).toHaveText(/^Data starts \d{1,2} [A-Z][a-z]{2,3}$/);
  // The time before is a gap, hatched, not a line at zero.
  await expect(chart.locator(".chart-gap").first()).toBeVisible();
  await expect(chart.getByText("Time without data", { exact: false })).toBeVisible();
  await page.screenshot({ path: path.join(screenshots, "namespace-90d-data-start.png"), fullPage: true });
  // The 7 days the page opens with are all stored: no note.
  await page.getByRole("group", { name: "Range presets" }).getByRole("button", { name: "7 d" }).click();
  await expect(page).toHaveURL(/\?range=7d$|\/payments$/);
  await expect(card.getByRole("note")).toHaveCount(0);
});

test("a preset changes the URL and the totals; peaks are marked and open their page", async ({ page }) => {
  await openNamespace(page);
  const errors = page.getByTestId("total-errors");
  const lastWeek = await errors.textContent();
  const presets = page.getByRole("group", { name: "Range presets" });
  await expect(presets.getByRole("button", { name: "7 d" })).toHaveAttribute("aria-pressed", "true");

  await presets.getByRole("button", { name: "30 d" }).click();
  await expect(page).toHaveURL(/\?range=30d$/);
  await expect(presets.getByRole("button", { name: "30 d" })).toHaveAttribute("aria-pressed", "true");
  await expect(errors).not.toHaveText(lastWeek ?? "");
  const chart = page.getByRole("group", { name: /^Errors of payments against its baseline/ });
  await expect(chart.locator(".recharts-reference-dot").first()).toBeVisible();
  const peaks = page.getByRole("table", { name: "Peaks, newest first" });
  await expect(peaks.getByRole("row").nth(1)).toBeVisible();
  await page.screenshot({ path: path.join(screenshots, "namespace-chart.png"), fullPage: true });

  await chart.getByText(/^Peaks in this range \(\d+\)$/).click();
  await chart.getByRole("listitem").first().getByRole("button").click();
  await expect(page).toHaveURL(/\/peaks\/\d+$/);
});

test("dragging across the chart zooms in; Reset zoom and the back button return", async ({ page }) => {
  await openNamespace(page);
  const plot = page.getByRole("group", { name: /^Errors of payments against its baseline/ }).locator("svg.recharts-surface");
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5, { steps: 8 });
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 8 });
  await page.mouse.up();
  await expect(page).toHaveURL(/\?from=[^&]+&to=[^&]+$/);
  const zoomed = page.url();
  await expect(page.getByRole("group", { name: "Range presets" }).getByRole("button", { pressed: true })).toHaveCount(0);

  await page.getByRole("button", { name: "Reset zoom" }).click();
  await expect(page).toHaveURL(/\/namespaces\/payments$/);
  await expect(page.getByRole("button", { name: "Reset zoom" })).toHaveCount(0);
  await page.goBack();
  await expect(page).toHaveURL(zoomed);
  await expect(page.getByRole("button", { name: "Reset zoom" })).toBeVisible();
});

test("a custom range is read in the dashboard's timezone; an unknown namespace is not found", async ({ page }) => {
  await openNamespace(page, "?range=30d");
  const timeZone = ((await page.locator("#range-zone").textContent()) ?? "").replace(/^in /, "").trim();
  expect(timeZone).not.toBe("America/New_York");
  const toValue = await page.getByLabel("To", { exact: true }).inputValue();
  // Two days before the shown end, as wall-clock text.
  const fromValue = new Date(Date.parse(`${toValue}:00Z`) - 2 * 86_400_000).toISOString().slice(0, 16);
  await page.getByLabel("From", { exact: true }).fill(fromValue);
  await page.getByRole("button", { name: "Apply" }).click();
  const expectedFrom = new Date(localInputToInstant(fromValue, timeZone)!).toISOString();
  await expect(page).toHaveURL((url) => url.searchParams.get("from") === expectedFrom && url.searchParams.get("range") === "30d");
  await expect(page.getByLabel("From", { exact: true })).toHaveValue(fromValue);

  await page.getByLabel("From", { exact: true }).fill(toValue);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "To: Must be after From" })).toBeVisible();

  await page.goto("/namespaces/payments?from=2020-01-01T00:00:00.000Z&to=2020-01-02T00:00:00.000Z");
  await expect(page.getByRole("heading", { name: "No error windows in this range" })).toBeVisible();
  await page.getByRole("button", { name: "Show the newest stored window" }).click();
  await expect(page.getByRole("group", { name: /^Errors of payments against its baseline/ }).locator("svg.recharts-surface")).toBeVisible();
  await expect(page).not.toHaveURL(/2020-01-01/);

  await page.goto("/namespaces/payments?from=2020-01-01T00:00:00.000Z&to=2020-06-01T00:00:00.000Z");
  await expect(page.getByRole("alert").filter({ hasText: "Could not load the chart: The range is too long" })).toBeVisible();

  await page.goto("/namespaces/no-such-namespace");
  await expect(page.getByRole("heading", { name: "No such namespace" })).toBeVisible();
});

test("the namespace lists search, sort and page on the server, and keep their state in the URL", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  // The namespaces page, searched on the server: the sample's two namespaces, one matching.
  await page.goto("/namespaces?q=PAY");
  const dayTable = page.getByRole("table", { name: "Last 24 hours" });
  await expect(dayTable.getByRole("row")).toHaveCount(2);
  await expect(dayTable.getByRole("link", { name: "payments", exact: true })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /^Showing 1–1 of 1 namespace matching “PAY”$/ })).toBeVisible();
  await expect(page.getByLabel("Search")).toHaveValue("PAY");

  // A platform of 60 namespaces, answered page by page as the server would: what the page asks for is checked.
  const real = (await (await page.request.get("/api/namespaces?limit=25")).json()) as NamespaceList;
  const platform = Array.from({ length: 60 }, (_, index) => ({ ...real.rows[0]!, namespace: `service-${String(index + 1).padStart(2, "0")}` }));
  const asked: URLSearchParams[] = [];
  await page.route("**/api/namespaces?*", (route) => {
    const params = new URL(route.request().url()).searchParams;
    asked.push(params);
    const q = params.get("q") ?? "";
    const offset = Number(params.get("offset"));
    const limit = Number(params.get("limit"));
    const matching = platform.filter((row) => row.namespace.includes(q.toLowerCase()));
    const rows = (params.get("sort") === "deviation" ? [...matching].reverse() : matching).slice(offset, offset + limit);
    const nextOffset = offset + rows.length < matching.length ? offset + rows.length : null;
    return route.fulfill({
      json: { ...real, q, sort: params.get("sort"), offset, limit, matching: matching.length, nextOffset, rows, counts: { ...real.counts, total: 60 } },
    });
  });
  await page.goto("/");
  const card = page.getByRole("region", { name: "Namespaces now" });
  await card.getByLabel("Search").fill("service");
  await expect(page).toHaveURL(/\?q=service$/);
  await expect(card.getByRole("row")).toHaveCount(26);
  await expect(card.getByRole("status")).toHaveText("Showing 1–25 of 60 namespaces matching “service”");
  expect(asked.at(-1)!.toString()).toBe("q=service&sort=attention&offset=0&limit=25");

  await card.getByRole("button", { name: "Next page" }).click();
  await expect(page).toHaveURL(/\?q=service&page=2$/);
  await expect(card.getByRole("link", { name: "service-26", exact: true })).toBeVisible();
  await expect(card.getByText("Page 2 of 3")).toBeVisible();
  expect(asked.at(-1)!.get("offset")).toBe("25");

  // Another order starts again at the first page.
  await card.getByLabel("Sort by").selectOption({ label: "Furthest above threshold" });
  await expect(page).toHaveURL(/\?q=service&sort=deviation$/);
  await expect(card.getByRole("row").nth(1).getByRole("link", { name: "service-60", exact: true })).toBeVisible();
  expect(asked.at(-1)!.toString()).toBe("q=service&sort=deviation&offset=0&limit=25");
  await page.setViewportSize({ width: 1400, height: 900 });
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(1400);
  await page.screenshot({ path: path.join(screenshots, "overview-namespaces-paged.png"), fullPage: true });

  // Back restores the page before, and a search the URL brings fills the box.
  await page.goBack();
  await expect(page).toHaveURL(/\?q=service&page=2$/);
  await expect(card.getByRole("link", { name: "service-26", exact: true })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/\?q=service$/);
  await expect(card.getByRole("row").nth(1).getByRole("link", { name: "service-01", exact: true })).toBeVisible();
  // A link with a search opens it: the overview reads that page of the real list (no longer answered by the fake platform).
  await page.unroute("**/api/namespaces?*");
  await page.goto("/?q=ORD&sort=name");
  await expect(card.getByLabel("Search")).toHaveValue("ORD");
  await expect(card.getByRole("row")).toHaveCount(2);
  await expect(card.getByRole("link", { name: "orders", exact: true })).toBeVisible();
});
