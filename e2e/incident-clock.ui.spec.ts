import { writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { instantToLocalInput } from "@/app/(dashboard)/namespaces/[namespace]/search-params";
import { loadConfig } from "@/lib/config";
import { formatDateTime } from "@/lib/format";
import type { IncidentDetail, IncidentPage, IncidentSummary } from "@/lib/incidents/contract";
import { startClockedServer, type ClockedServer } from "./support/clocked-server";

// Incidents over time, as runs on a moving clock settle them: an incident ends and is resolved
// as back to normal, its errors return and reopen it as a regression, a snooze until a time
// expires and a snooze until it grows ×2 is lifted when it grew. Self-contained: a server and
// database of its own (nothing reaches the shared e2e data), its own log files, `peaks pipeline
// run` on the shifted clock (shifted-clock.js), and the browser's clock set to the same instant.

const PORT = 3323;
const BASE_URL = `http://localhost:${PORT}`;
test.use({ baseURL: BASE_URL, extraHTTPHeaders: { Origin: BASE_URL } });

const analyst = { email: "analyst@clock.e2e.test", password: "clock-analyst-password", role: "analyst" } as const;
// The server's configuration: values.yaml as it is.
const config = loadConfig(path.resolve("values.yaml"));
const TIME_ZONE = config.timezone;
const QUIET_WINDOWS = config.incidents.auto_resolve_quiet_windows;
const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");

const MINUTE = 60_000;
const WINDOW = 15 * MINUTE;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * The incidents begin at T, this hour's start; the story is told in hours after it, so the
 * shifted clocks run ahead of the real one. Never behind it: the browser keeps cookies by the
 * real clock, and a session cookie issued by a server 12 hours behind would expire at once.
 */
const T = Math.floor(Date.now() / HOUR) * HOUR;
/** Two days of ordinary errors before it, so that both namespaces are judged. */
const HISTORY_START = T - 2 * DAY;
const CHECKOUT = "checkout";
const BILLING = "billing";
/** Errors per window of each namespace, by window start: 2 is their ordinary level, 200 and more a peak. */
function errorsIn(namespace: string, windowStart: number): number {
  const at = windowStart - T;
  if (namespace === CHECKOUT) return [0, WINDOW, 2 * HOUR + 45 * MINUTE, 3 * HOUR].includes(at) ? 300 : 2;
  // billing: errors that stay up, then grow threefold from T + 2 h 15 min.
  if (at < 0) return 2;
  return at < 2 * HOUR + 15 * MINUTE ? 200 : 600;
}

/**
 * The log lines of every window in [fromMs, toMs): a peak's errors come in traces of two (the
 * database refusing, then the service failing), the ordinary ones are lone timeouts.
 */
function writeLogs(server: ClockedServer, name: string, fromMs: number, toMs: number) {
  const lines: string[] = [];
  for (let windowStart = fromMs; windowStart < toMs; windowStart += WINDOW) {
    for (const namespace of [CHECKOUT, BILLING]) {
      const count = errorsIn(namespace, windowStart);
      for (let index = 0; index < count; index += 1) {
        const timestamp = new Date(windowStart + Math.floor(((index + 0.5) * WINDOW) / count)).toISOString();
        const traceId = `${namespace}-${windowStart}-${Math.floor(index / 2)}`;
        const isPeak = count > 2;
        const [app, message] = !isPeak
          ? ["gateway", `Request to inventory timed out after ${1000 + index} ms`]
          : index % 2 === 0
            ? [`${namespace}-db-client`, `PSQLException: Connection to ${namespace}-db:5432 refused`]
            : [`${namespace}-api`, `Upstream ${namespace}-db-client failed with status 503`];
        lines.push(
          JSON.stringify({
            "@timestamp": timestamp,
            kubernetes: { namespace, labels: { app } },
            level: "ERROR",
            message,
            trace: { id: isPeak ? traceId : `${traceId}-${index}` },
          }),
        );
      }
    }
  }
  writeFileSync(path.join(server.logsDir, `${name}.ndjson`), `${lines.join("\n")}\n`);
}

/** Moves the server's, the runs' and the browser's clocks to `nowMs`. */
async function moveClock(server: ClockedServer, page: Page, nowMs: number) {
  await server.setNow(nowMs);
  await page.clock.setSystemTime(nowMs);
}

/** A pipeline run on the shifted clock, as cron would start it, over the spec's log files. */
async function runPipeline(server: ClockedServer, extra: readonly string[] = []): Promise<string> {
  const output = await server.peaks(["pipeline", "run", "--input", server.logsDir, ...extra]);
  expect(output).toMatch(/Run #\d+ over .* succeeded/);
  return output;
}

async function incidentOf(page: Page, namespace: string): Promise<IncidentSummary> {
  const response = await page.request.get(`/api/incidents?namespace=${namespace}`);
  expect(response.status()).toBe(200);
  const { incidents } = (await response.json()) as IncidentPage;
  expect(incidents).toHaveLength(1);
  return incidents[0]!;
}

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const file = path.join(screenshots, `incident-clock-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

async function openIncident(page: Page, incident: IncidentSummary) {
  await page.goto(`/incidents/${incident.id}`);
  await expect(page.getByRole("heading", { level: 1, name: `Incident #${incident.id} in ${incident.namespace}` })).toBeVisible();
}

const auditEntries = (page: Page) => page.getByRole("list", { name: "Changes, newest first" }).getByRole("listitem");
const headBadges = (page: Page) => page.locator(".pk-head-meta .ic-badges");
const rowOf = (page: Page, incident: IncidentSummary) => page.locator(`tr.ic-row[data-incident-id="${incident.id}"]`);

/** The overview's on-fire list: its rows by incident, and its heading. */
async function openOnFire(page: Page) {
  await page.goto("/");
  const onFire = page.getByRole("region", { name: /^On fire now/ });
  await expect(onFire).toBeVisible();
  return {
    heading: onFire.getByRole("heading"),
    rowOf: (incident: IncidentSummary) =>
      onFire.getByRole("row").filter({ has: page.getByRole("link", { name: `Incident ${incident.id} in ${incident.namespace}` }) }),
  };
}

let server: ClockedServer | null = null;

test.afterAll(async () => {
  await server?.stop();
});

test("on a moving clock: back to normal, a return reopens it as a regression, snoozes lifted by time and by growth", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  // The story's timing rests on these: checkout's first two quiet windows do not end it, seven do,
  // and its return comes within the reopening time.
  expect(config.window_minutes * MINUTE).toBe(WINDOW);
  expect(QUIET_WINDOWS).toBeGreaterThan(2);
  expect(QUIET_WINDOWS).toBeLessThanOrEqual(7);
  expect(config.incidents.reopen_hours).toBeGreaterThanOrEqual(1);
  expect(config.peak_detection.min_absolute_value).toBeLessThanOrEqual(200);

  // T + 1 h 05 min: both namespaces have peaked since T; checkout's two windows are over, billing's go on.
  const firstNow = T + HOUR + 5 * MINUTE;
  const started = Date.now();
  server = await startClockedServer({ port: PORT, nowMs: firstNow, users: [analyst] });
  const timings = [`server ${Date.now() - started} ms`];
  await page.clock.setSystemTime(firstNow);
  writeLogs(server, "1", HISTORY_START, T + HOUR + WINDOW);
  let runStarted = Date.now();
  await runPipeline(server, ["--from", new Date(HISTORY_START).toISOString()]);
  timings.push(`first run ${Date.now() - runStarted} ms`);

  await page.goto("/login");
  await page.getByLabel("E-mail").fill(analyst.email);
  await page.getByLabel("Password").fill(analyst.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 20_000 });

  const checkout = await incidentOf(page, CHECKOUT);
  const billing = await incidentOf(page, BILLING);
  expect(checkout).toMatchObject({ status: "open", ongoing: true, windows: 2 });
  expect(billing).toMatchObject({ status: "open", ongoing: true });

  await page.goto("/incidents");
  await expect(rowOf(page, checkout)).toContainText("ongoing");
  await expect(rowOf(page, billing)).toContainText("ongoing");
  await screenshot(page, testInfo, "1-both-ongoing");

  // Billing is snoozed until T + 2 h (local time in the form).
  await openIncident(page, billing);
  await page.getByRole("button", { name: "Snooze…" }).click();
  const snooze = page.getByRole("region", { name: "Snooze" });
  // The form proposes two hours after the browser's next full hour: the browser runs on the shifted clock too.
  await expect(snooze.getByLabel(/^Until/)).toHaveValue(instantToLocalInput(T + 4 * HOUR, TIME_ZONE));
  await snooze.getByLabel(/^Until/).fill(instantToLocalInput(T + 2 * HOUR, TIME_ZONE));
  await snooze.getByRole("button", { name: "Snooze" }).click();
  await expect(headBadges(page)).toContainText("snoozed");
  await expect(page.getByTestId("incident-snooze")).toHaveText(`snoozed until ${formatDateTime(new Date(T + 2 * HOUR).toISOString(), TIME_ZONE)}`);
  // What is on fire, by the server's clock: both started about an hour ago, the snoozed one last.
  let onFire = await openOnFire(page);
  await expect(onFire.heading).toHaveText("On fire now (2)");
  await expect(onFire.rowOf(checkout)).toContainText("started 1 h ago");
  await expect(onFire.rowOf(billing)).toContainText("started 1 h ago");
  await expect(onFire.rowOf(billing)).toContainText("snoozed until");

  // T + 2 h 20 min: checkout's last seven windows were ordinary, and billing's snooze time passed.
  const secondNow = T + 2 * HOUR + 20 * MINUTE;
  writeLogs(server, "2", T + HOUR + WINDOW, T + 2 * HOUR + 30 * MINUTE);
  await moveClock(server, page, secondNow);
  // The server's clock moved: before any run, the page says the snooze is over, to be lifted.
  await openIncident(page, billing);
  await expect(page.getByTestId("incident-snooze")).toHaveText("snooze ended: its time passed (lifted at the next run)");
  await expect(headBadges(page)).not.toContainText("snoozed");
  runStarted = Date.now();
  await runPipeline(server);
  timings.push(`second run ${Date.now() - runStarted} ms`);

  // Checkout ended and the run resolved it as back to normal: off the list of what needs triage.
  await openIncident(page, checkout);
  await expect(headBadges(page)).toContainText("resolved");
  await expect(page.locator(".pk-head-meta").first()).toContainText("ended after 30 min");
  await expect(auditEntries(page).first()).toContainText(`pipeline resolved it as back to normal after ${QUIET_WINDOWS} quiet windows`);
  await screenshot(page, testInfo, "2-back-to-normal");
  await page.goto("/incidents");
  await expect(rowOf(page, billing)).toBeVisible();
  await expect(rowOf(page, checkout)).toHaveCount(0);
  onFire = await openOnFire(page);
  await expect(onFire.heading).toHaveText("On fire now (1)");
  await expect(onFire.rowOf(checkout)).toHaveCount(0);
  await page.goto("/incidents?status=resolved");
  await expect(rowOf(page, checkout)).toContainText("resolved");
  await expect(rowOf(page, checkout)).toContainText("lasted 30 min");
  // Resolved by the run, at its (shifted) time.
  const resolved = await incidentOf(page, CHECKOUT);
  expect(resolved).toMatchObject({ status: "resolved", resolution: "quiet", ongoing: false });
  const resolvedAt = Date.parse(resolved.resolvedAt ?? "");
  expect(resolvedAt).toBeGreaterThanOrEqual(secondNow);
  expect(resolvedAt).toBeLessThan(secondNow + 5 * MINUTE);

  // The run lifted billing's snooze and said why; it is snoozed again, until it grows ×2.
  await openIncident(page, billing);
  await expect(page.getByTestId("incident-snooze")).toHaveCount(0);
  await expect(auditEntries(page).first()).toContainText("pipeline lifted its snooze: its time passed");
  await expect(auditEntries(page).nth(1)).toContainText(`${analyst.email} snoozed it until ${formatDateTime(new Date(T + 2 * HOUR).toISOString(), TIME_ZONE)}`);
  await page.getByRole("button", { name: "Snooze…" }).click();
  await snooze.getByLabel(/^Until/).fill("");
  await snooze.getByLabel(/grows/).fill("2");
  await snooze.getByRole("button", { name: "Snooze" }).click();
  await expect(page.getByTestId("incident-snooze")).toHaveText("snoozed until it grows ×2");
  await screenshot(page, testInfo, "3-snoozed-until-it-grows");
  const snoozedExcess = (await incidentOf(page, BILLING)).excess;

  // T + 3 h 35 min: checkout's errors returned at T + 2 h 45 min, billing's tripled.
  const thirdNow = T + 3 * HOUR + 35 * MINUTE;
  writeLogs(server, "3", T + 2 * HOUR + 30 * MINUTE, T + 3 * HOUR + 45 * MINUTE);
  await moveClock(server, page, thirdNow);
  runStarted = Date.now();
  await runPipeline(server);
  timings.push(`third run ${Date.now() - runStarted} ms`);

  // Checkout is open again as a regression, back among what needs triage.
  const reopened = (await (await page.request.get(`/api/incidents/${checkout.id}`)).json()) as IncidentDetail;
  expect(reopened).toMatchObject({ status: "open", reopenCount: 1, windows: 4 });
  // Errors returned at T + 2 h 45 min, about 25 min after the run resolved it.
  const returnedAfter = `${Math.round((T + 2 * HOUR + 45 * MINUTE - resolvedAt) / MINUTE)} min`;
  await openIncident(page, checkout);
  await expect(headBadges(page)).toContainText("open");
  await expect(headBadges(page)).toContainText("regression: returned");
  await expect(page.locator(".ic-regression")).toContainText(`Regression: errors returned ${returnedAfter} after it resolved itself.`);
  await expect(auditEntries(page).first()).toContainText(`pipeline reopened it as a regression: errors returned ${returnedAfter} after it resolved itself`);
  await expect(auditEntries(page).nth(1)).toContainText(`pipeline resolved it as back to normal after ${QUIET_WINDOWS} quiet windows`);
  await screenshot(page, testInfo, "4-reopened-as-regression");
  await page.goto("/incidents");
  await expect(rowOf(page, checkout)).toContainText("regression: returned");
  await expect(rowOf(page, checkout)).toContainText("open");
  onFire = await openOnFire(page);
  await expect(onFire.heading).toHaveText("On fire now (2)");
  await expect(onFire.rowOf(checkout)).toContainText("returned after it resolved itself");
  await expect(onFire.rowOf(billing)).toContainText("started 4 h ago");
  await expect(onFire.rowOf(billing)).not.toContainText("snoozed");
  await screenshot(page, testInfo, "5-on-fire");

  // Billing grew past twice its excess when snoozed: the run lifted the snooze, saying so.
  const grown = await incidentOf(page, BILLING);
  expect(grown.excess).toBeGreaterThanOrEqual(2 * snoozedExcess);
  await openIncident(page, billing);
  await expect(page.getByTestId("incident-snooze")).toHaveCount(0);
  await expect(headBadges(page)).not.toContainText("snoozed");
  await expect(auditEntries(page).first()).toContainText("pipeline lifted its snooze: it grew by the factor it was snoozed for");
  await expect(auditEntries(page).nth(1)).toContainText(`${analyst.email} snoozed it until it grows ×2`);
  await screenshot(page, testInfo, "6-snooze-lifted-it-grew");
  await testInfo.attach("timings", { body: timings.join("\n"), contentType: "text/plain" });
});
