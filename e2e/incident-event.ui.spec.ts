import { expect, test as base } from "@playwright/test";
import type { Database } from "@/lib/db/client";
import type { IncidentDetail } from "@/lib/incidents/contract";
import { problemIdOf } from "@/lib/pipeline/problems";
import { problemPath } from "@/lib/problems/contract";
import { e2eDatabase } from "./support/database";
import { loginInBrowser } from "./support/login";
import { axeViolations, screenshotAtBothSizes } from "./support/page-checks";
import { QUARTER, removeSeededIncidents, seedIncident } from "./support/seed-incidents";
import { e2eUsers } from "./support/users";

// An incident's page says when the same root cause hit other namespaces at the same time: the
// event across namespaces it is part of, with links to the other incidents, so that one outage is
// triaged once and not once per namespace.

const test = base.extend<object, { database: Database }>({ database: e2eDatabase });

test("an incident's page names the event across namespaces it is part of and opens the other incidents; an incident alone shows no such card", async ({
  page,
  database,
}) => {
  const quarterNow = Math.floor(Date.now() / QUARTER) * QUARTER;
  const cause = "PSQLException: FATAL: remaining connection slots are reserved for non-replication superuser connections";
  const pattern = { id: "e2eslots01", errorType: "db_connection" };
  const problemId = problemIdOf({ patternId: pattern.id, errorType: pattern.errorType });
  const seeded: number[] = [];
  try {
    const payments = await seedIncident(
      database,
      { namespace: "payments", startMs: quarterNow - 6 * QUARTER, windows: ["high", "critical", "high"], status: "open", pattern },
      cause,
    );
    seeded.push(payments);
    const orders = await seedIncident(
      database,
      { namespace: "orders", startMs: quarterNow - 5 * QUARTER, windows: ["high", "high"], status: "open", pattern },
      cause,
    );
    seeded.push(orders);
    // Starts as payments' last window ends: the same outbreak, reaching a third namespace.
    const ledger = await seedIncident(database, { namespace: "ledger", startMs: quarterNow - 3 * QUARTER, windows: ["high"], status: "open", pattern }, cause);
    seeded.push(ledger);
    // Another root cause, in one namespace only: no event.
    const alone = await seedIncident(
      database,
      { namespace: "orders", startMs: quarterNow - 12 * QUARTER, windows: ["high"], status: "open", pattern: { id: "e2elonely01", errorType: "http_5xx" } },
      "Upstream inventory responded with status 503",
    );
    seeded.push(alone);

    await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
    const detail = (await (await page.request.get(`/api/incidents/${payments}`)).json()) as IncidentDetail;
    expect(detail.eventsTotal).toBe(1);
    expect(detail.events[0]).toMatchObject({
      problemId,
      errorType: pattern.errorType,
      ongoing: true,
      namespaces: ["ledger", "orders", "payments"],
      namespaceTotal: 3,
      incidents: [
        { id: orders, namespace: "orders", ongoing: true },
        { id: ledger, namespace: "ledger", ongoing: true },
      ],
      incidentTotal: 2,
    });

    await page.goto(`/incidents/${payments}`);
    const event = page.getByRole("region", { name: "Across namespaces" });
    await expect(event.getByRole("heading", { level: 2 })).toHaveText("Across namespaces");
    await expect(event).toContainText(
      /Part of an event across 3 namespaces \(payments, ledger, orders\) from (\d{1,2} \w{3}, )?\d\d:\d\d until now: the same root cause PSQLException: FATAL: remaining connection slots/,
    );
    await expect(event.getByRole("link", { name: /^PSQLException: FATAL: remaining connection slots/ })).toHaveAttribute("href", problemPath(problemId));
    await expect(event.getByRole("link", { name: `Incident ${ledger} in ledger, ongoing` })).toBeVisible();
    // It comes right under the header, before the incident's own cause and windows.
    const regions = await page.getByRole("region").evaluateAll((nodes) => nodes.map((node) => node.getAttribute("aria-labelledby")));
    expect(regions[0]).toBe("incident-events-heading");
    await screenshotAtBothSizes(page, "incident-event");
    expect(await axeViolations(page)).toEqual([]);

    // The other incident's page, opened from the link, names the same event with this one.
    await event.getByRole("link", { name: `Incident ${orders} in orders, ongoing` }).click();
    await expect(page).toHaveURL(new RegExp(`/incidents/${orders}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Incident #${orders} in orders`);
    const fromOrders = page.getByRole("region", { name: "Across namespaces" });
    await expect(fromOrders).toContainText(/Part of an event across 3 namespaces \(orders, ledger, payments\)/);
    await expect(fromOrders.getByRole("link", { name: `Incident ${payments} in payments, ongoing` })).toHaveAttribute("href", `/incidents/${payments}`);

    // An incident of a root cause no other namespace had then: no card at all.
    await page.goto(`/incidents/${alone}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Incident #${alone} in orders`);
    await expect(page.getByRole("region", { name: "Known issue" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Across namespaces" })).toHaveCount(0);
  } finally {
    await removeSeededIncidents(database, seeded);
  }
});
