import { expect, test as base } from "@playwright/test";
import type { Database } from "@/lib/db/client";
import type { IncidentDetail, IncidentPage } from "@/lib/incidents/contract";
import type { NamespaceSeries } from "@/lib/namespaces/contract";
import { e2eDatabase } from "./support/database";
import { axeViolations, screenshotAtBothSizes } from "./support/page-checks";
import { enrichSamplePeaks } from "./support/enrich";
import { loginInBrowser } from "./support/login";
import { e2eUsers } from "./support/users";

// Release impact on the pages: an incident's errors by version with its findings, and the deploy
// markers of a namespace's chart. The sample data carries no versions, so this spec writes what
// enrichment and tracking would have stored for a data set that does (peak windows' errors by
// version, a namespace's version timeline), and puts everything back afterwards. Its versions
// (9.x) are of its own, so that it deletes only its rows.

const test = base.extend<object, { database: Database }>({ database: e2eDatabase });

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const OWN_VERSIONS = ["9.0.0", "9.1.0", "9.2.0", "9.4.0", "9.5.0"];

async function removeOwnVersions(database: Database): Promise<void> {
  await database.prisma.namespaceVersion.deleteMany({ where: { version: { in: OWN_VERSIONS } } });
}

test.afterAll(async ({ database }) => {
  await removeOwnVersions(database);
});

test("an incident's page shows its errors by version, the release it came with and the version that stands out", async ({ page, database }) => {
  test.setTimeout(300_000);
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  await enrichSamplePeaks(page.request);
  const { incidents } = (await (await page.request.get("/api/incidents?limit=200")).json()) as IncidentPage;
  const incident = incidents.find((candidate) => candidate.windows >= 2 && candidate.errors >= 500);
  if (!incident) throw new Error("The sample data has no incident of two windows or more");
  const detailOf = async () => (await (await page.request.get(`/api/incidents/${incident.id}`)).json()) as IncidentDetail;
  const windows = (await detailOf()).windowList;
  const before = await database.prisma.peakInvestigation.findMany({
    where: { id: { in: windows.map((window) => window.peakId) } },
    select: { id: true, errorsByVersion: true },
  });

  // As enrichment stores it for a release 12 minutes before the incident: 9.5.0 fails, 9.4.0 keeps 10 errors a window.
  const start = Date.parse(incident.start);
  const end = Date.parse(incident.end);
  try {
    for (const window of windows) {
      await database.prisma.peakInvestigation.update({
        where: { id: window.peakId },
        data: {
          errorsByVersion: {
            versions: [
              { version: "9.5.0", errors: window.errorCount - 10 },
              { version: "9.4.0", errors: 10 },
            ],
            unversioned: 0,
            otherVersions: 0,
          },
        },
      });
    }
    await database.prisma.namespaceVersion.createMany({
      data: [
        { namespace: incident.namespace, version: "9.4.0", firstSeen: new Date(start - 10 * DAY), lastSeen: new Date(end - MINUTE), errors: 5_000 },
        {
          namespace: incident.namespace,
          version: "9.5.0",
          firstSeen: new Date(start - 12 * MINUTE),
          lastSeen: new Date(end - MINUTE),
          errors: incident.errors,
        },
      ],
    });

    const versions = (await detailOf()).versions;
    expect(versions?.versions.map((row) => row.version)).toEqual(["9.4.0", "9.5.0"]);
    expect(versions?.findings.map((finding) => finding.kind)).toEqual(["new_release", "above_others"]);

    await page.goto(`/incidents/${incident.id}`);
    await expect(page.getByRole("heading", { level: 1, name: new RegExp(`^Incident #${incident.id} in `) })).toBeVisible();
    const section = page.getByRole("region", { name: "Errors by version" });
    await expect(section.getByRole("listitem").first()).toHaveText(
      /^New with a release: 9\.5\.0 was first seen 12 min before this incident began \(.+, after 9\.4\.0\) and holds \d+ % of its errors with a version\.$/,
    );
    await expect(section.getByRole("listitem").nth(1)).toHaveText(/^9\.5\.0 stands out: [\d,]+ errors per hour of running/);
    const table = section.getByRole("table");
    await expect(table.getByRole("rowheader")).toHaveText(["9.4.0", "9.5.0"]);
    await expect(table.getByRole("row").filter({ hasText: "9.4.0" })).toContainText(String(10 * windows.length));
    expect(await axeViolations(page)).toEqual([]);
    await screenshotAtBothSizes(page, "incident-errors-by-version");
  } finally {
    for (const row of before) {
      await database.prisma.peakInvestigation.update({ where: { id: row.id }, data: { errorsByVersion: row.errorsByVersion ?? undefined } });
    }
    await removeOwnVersions(database);
  }
});

test("a namespace's chart marks each version's first appearance in its range, in the legend, the summary and a list", async ({ page, database }) => {
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  const series = (await (await page.request.get("/api/namespaces/payments/series")).json()) as NamespaceSeries;
  const latest = series.latestWindow;
  if (latest === null) throw new Error("The sample data has no window of payments");
  // Two releases in the 7 days the page opens with, and one long before them (no marker).
  const deploys = [
    { version: "9.0.0", at: latest - 60 * DAY },
    { version: "9.1.0", at: latest - 3 * DAY },
    { version: "9.2.0", at: latest - DAY },
  ];
  try {
    await database.prisma.namespaceVersion.createMany({
      data: deploys.map((deploy, index) => ({
        namespace: "payments",
        version: deploy.version,
        firstSeen: new Date(deploy.at),
        lastSeen: new Date(deploys[index + 1]?.at ?? latest),
        errors: 100,
      })),
    });
    const from = new Date(latest - 6 * DAY).toISOString();
    const to = new Date(latest + 15 * MINUTE).toISOString();
    const read = (await (await page.request.get(`/api/namespaces/payments/series?from=${from}&to=${to}`)).json()) as NamespaceSeries;
    expect(read.deploys).toEqual([
      { version: "9.1.0", at: deploys[1]!.at },
      { version: "9.2.0", at: deploys[2]!.at },
    ]);

    await page.goto("/namespaces/payments");
    await expect(page.getByRole("heading", { name: "payments", level: 1 })).toBeVisible();
    const chart = page.getByRole("group", { name: /^Errors of payments against its baseline/ });
    await expect(chart).toHaveAttribute("aria-label", /2 versions first seen: 9\.1\.0 at .+, 9\.2\.0 at .+\.$/);
    await expect(chart.locator(".chart-deploy text")).toHaveText(["9.1.0", "9.2.0"]);
    await expect(chart.getByText("Deploy: a version's first error seen")).toBeVisible();
    const list = chart.locator("details.chart-deploy-links");
    await list.getByText("Deploys in this range (2 versions)").click();
    await expect(list.getByRole("listitem")).toHaveText([/: 9\.1\.0 first seen$/, /: 9\.2\.0 first seen$/]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshotAtBothSizes(page, "namespace-deploy-markers");
  } finally {
    await removeOwnVersions(database);
  }
});
