import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type Page } from "@playwright/test";
import type { Database } from "@/lib/db/client";
import { e2eDatabase } from "./support/database";
import { loginInBrowser } from "./support/login";
import { QUARTER, removeSeededIncidents, seedIncident } from "./support/seed-incidents";
import { e2eUsers } from "./support/users";

// The overview says what is on fire now: ongoing incidents first, then the last 24 hours, then each
// namespace's newest window against its threshold.

const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");

const test = base.extend<object, { database: Database }>({
  database: e2eDatabase,
});

async function expectNoSeriousAxeViolations(page: Page) {
  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const serious = scan.violations.filter((entry) => entry.impact === "serious" || entry.impact === "critical");
  expect(serious.map((violation) => `${violation.id} on ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("the overview puts the incidents on fire now first, acknowledged ones included and snoozed ones last, then the last 24 hours", async ({
  page,
  database,
}) => {
  const analyst = await database.prisma.user.findUniqueOrThrow({ where: { email: e2eUsers.analyst.email }, select: { id: true } });
  const quarterNow = Math.floor(Date.now() / QUARTER) * QUARTER;
  const acknowledged = await seedIncident(
    database,
    { namespace: "payments", startMs: quarterNow - 3 * QUARTER, windows: ["high", "critical"], status: "acknowledged", ownerId: analyst.id },
    "java.lang.IllegalStateException: connection pool exhausted at com.acme.payments.pool.PoolGuard.acquire(PoolGuard.java:88)",
  );
  const snoozed = await seedIncident(
    database,
    { namespace: "orders", startMs: quarterNow - 2 * QUARTER, windows: ["critical"], status: "open", snoozedUntil: new Date(quarterNow + 8 * QUARTER) },
    "Upstream inventory responded with status 503",
  );
  try {
    await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
    const onFire = page.getByRole("region", { name: /^On fire now/ });
    await expect(onFire.getByRole("heading")).toHaveText("On fire now (2)");
    const rows = onFire.getByRole("row");
    // The header row, then the acknowledged critical incident, then the snoozed one.
    await expect(rows).toHaveCount(3);
    const first = rows.nth(1);
    await expect(first.getByRole("link", { name: `Incident ${acknowledged} in payments` })).toHaveAttribute("href", `/incidents/${acknowledged}`);
    await expect(first).toContainText("critical");
    await expect(first).toContainText(/started (\d+ min|1 h) ago/);
    await expect(first).toContainText("1,300 / 120");
    await expect(first).toContainText("IllegalStateException: connection pool exhausted at PoolGuard.acquire");
    await expect(first).toContainText(e2eUsers.analyst.email);
    await expect(first).toContainText("acknowledged");
    const second = rows.nth(2);
    await expect(second.getByRole("link", { name: `Incident ${snoozed} in orders` })).toBeVisible();
    await expect(second).toContainText("nobody");
    // Two hours ahead may be tomorrow: "snoozed until 3 Dec, 00:45".
    await expect(second).toContainText(/snoozed until (\d{1,2} \w{3}, )?\d\d:\d\d/);

    const counts = page.getByRole("list", { name: "Open incidents by severity" });
    await expect(counts.getByRole("listitem").filter({ hasText: "critical" })).toContainText(/\(1 acknowledged\)/);
    await expect(page.getByRole("link", { name: /open incidents$/ })).toHaveAttribute("href", "/incidents?status=open,acknowledged");

    const lastDay = page.getByRole("region", { name: "Last 24 hours" });
    await expect(lastDay.getByRole("link", { name: `Incident ${acknowledged} in payments` })).toBeVisible();
    await expect(lastDay.getByRole("link", { name: `Incident ${snoozed} in orders` })).toBeVisible();
    await expect(lastDay.getByRole("row").filter({ has: page.getByRole("link", { name: `Incident ${acknowledged} in payments` }) })).toContainText(
      "30 min, ongoing",
    );
    await expect(lastDay.getByRole("link", { name: "All incidents" })).toHaveAttribute("href", "/incidents");

    // The sample logs end yesterday: no namespace has data in the last completed window, and none is shown as zero.
    const namespaces = page.getByRole("region", { name: "Namespaces now" });
    for (const namespace of ["orders", "payments"]) {
      const row = namespaces.getByRole("row").filter({ has: page.getByRole("link", { name: namespace, exact: true }) });
      await expect(row.locator(".window-state")).toContainText(/no data since (\d{1,2} \w{3}, )?\d\d:\d\d/);
      await expect(row.getByRole("cell").nth(3)).toHaveText(/^[\d,]+$/);
      await expect(row.getByRole("img", { name: /errors? in 24 h|No windows stored/ })).toBeVisible();
    }
    await expect(page.getByText(/^0\s*of 2$/)).toBeVisible();

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: path.join(screenshots, "overview-on-fire-1440.png"), fullPage: true });
    await expectNoSeriousAxeViolations(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(onFire).toBeVisible();
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(screenshots, "overview-on-fire-390.png"), fullPage: true });
  } finally {
    await removeSeededIncidents(database, [acknowledged, snoozed]);
  }
});

test("with nothing on fire the overview says so plainly, and since when", async ({ page, database }) => {
  // Whatever the sample left ongoing ends for this test, and is ongoing again afterwards.
  const ongoing = await database.prisma.incident.findMany({ where: { endedAt: null }, select: { id: true, lastWindowAt: true } });
  for (const incident of ongoing) {
    await database.prisma.incident.update({ where: { id: incident.id }, data: { endedAt: new Date(incident.lastWindowAt.getTime() + QUARTER) } });
  }
  try {
    await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
    const onFire = page.getByRole("region", { name: /^On fire now/ });
    await expect(onFire.getByRole("heading")).toHaveText("On fire now");
    await expect(onFire).toContainText(
      /Nothing is on fire: no incident is ongoing (since .+ \(.+ ago\), when the last one ended|, and none has been recorded yet)\./,
    );
    await expect(onFire.getByRole("table")).toHaveCount(0);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: path.join(screenshots, "overview-quiet-1440.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(screenshots, "overview-quiet-390.png"), fullPage: true });
  } finally {
    await database.prisma.incident.updateMany({ where: { id: { in: ongoing.map((incident) => incident.id) } }, data: { endedAt: null } });
  }
});

test("the overview shows first one root cause hitting several namespaces at once, linked as one event", async ({ page, database }) => {
  const quarterNow = Math.floor(Date.now() / QUARTER) * QUARTER;
  const cause = "RedisConnectionException: Unable to connect to cache-shared:6379";
  const pattern = { id: "e2eoutbreak01", errorType: "connection" };
  const seeded = [
    await seedIncident(database, { namespace: "payments", startMs: quarterNow - 3 * QUARTER, windows: ["high", "critical"], status: "open", pattern }, cause),
    // One window later in the other namespace: still the same outbreak.
    await seedIncident(database, { namespace: "orders", startMs: quarterNow - 2 * QUARTER, windows: ["high", "high"], status: "open", pattern }, cause),
  ];
  try {
    await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
    const events = page.getByRole("region", { name: /^Across namespaces/ });
    await expect(events.getByRole("heading")).toHaveText(/^Across namespaces \(\d+\)$/);
    // Events come before what is on fire.
    const regions = await page.getByRole("region").evaluateAll((nodes) => nodes.map((node) => node.getAttribute("aria-labelledby")));
    expect(regions.indexOf("events-heading")).toBeLessThan(regions.indexOf("on-fire-heading"));
    const event = events.getByRole("listitem").filter({ hasText: "Unable to connect to cache-shared" });
    await expect(event).toHaveCount(1);
    await expect(event).toContainText("ongoing");
    await expect(event).toContainText(/2 namespaces, up to 2 at once/);
    for (const namespace of ["orders", "payments"]) await expect(event.getByRole("link", { name: namespace, exact: true })).toBeVisible();
    for (const id of seeded) await expect(event.getByRole("link", { name: new RegExp(`^Incident ${id} in `) })).toBeVisible();
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(screenshots, "overview-events-390.png"), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    await expectNoSeriousAxeViolations(page);
    await event.getByRole("link", { name: /Unable to connect to cache-shared/ }).click();
    await expect(page).toHaveURL(/\/problems\/e2eoutbreak01-connection$/);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  } finally {
    await removeSeededIncidents(database, seeded);
  }
});
