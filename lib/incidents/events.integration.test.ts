import { beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { problemIdOf } from "@/lib/pipeline/problems";
import type { Actor } from "@/lib/roles";
import { createIncidentRow, peakRow } from "@/test/support/peak-rows";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { MAX_INCIDENT_EVENTS } from "./contract";
import { getIncident } from "./list";

// An incident's page names the cross-namespace events it is part of: the same root cause in other
// namespaces at overlapping or back-to-back windows, linked over the incident's own span.

const viewer: Actor = { kind: "user", id: 1, email: "v@example.com", name: null, role: "viewer" };
const QUARTER = 15 * 60_000;
const settings = { links: { template: null, windowMinutes: 15 }, now: new Date("2027-03-10T12:07:00Z") };

const POOL = { id: "poolgone", errorType: "db_pool_exhausted" };
const POOL_TEMPLATE = "HikariPool-1 - Connection is not available, request timed out after <NUM>ms";
const CACHE = { id: "cachegone", errorType: "connection" };

type IncidentSeed = {
  namespace: string;
  /** First window start, ISO. */
  start: string;
  /** How many consecutive windows, from start. */
  windows: number;
  /** The root cause's pattern and error type of each window (the last one repeats); none: not investigated yet. */
  patterns?: { id: string; errorType: string }[];
  ended?: boolean;
  status?: "open" | "resolved";
};

/** An incident with its windows as the pipeline stores them. */
async function seedIncident(database: Database, seed: IncidentSeed): Promise<number> {
  const startMs = Date.parse(seed.start);
  const status = seed.status ?? "open";
  const { id } = await createIncidentRow(database.prisma, {
    namespace: seed.namespace,
    startMs,
    windows: seed.windows,
    windowMs: QUARTER,
    status,
    ended: seed.ended,
  });
  const patterns = seed.patterns ?? [];
  await database.prisma.peakInvestigation.createMany({
    data: Array.from({ length: seed.windows }, (_, index) => {
      const pattern = patterns[Math.min(index, patterns.length - 1)];
      return peakRow(new Date(startMs + index * QUARTER), {
        namespace: seed.namespace,
        status,
        incidentId: id,
        rootCause: pattern ? `root cause of ${pattern.id}` : null,
        rootCausePatternId: pattern?.id ?? null,
        errorType: pattern?.errorType ?? null,
      });
    }),
  });
  return id;
}

describe.each(databaseKinds)("the cross-namespace events of an incident on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  const detailOf = (id: number) => getIncident(db(), viewer, id, settings);

  beforeEach(async () => {
    await db().prisma.peakInvestigation.deleteMany();
    await db().prisma.incident.deleteMany();
    await db().prisma.errorPattern.deleteMany();
    await db().prisma.errorPattern.create({ data: { patternHash: POOL.id, template: POOL_TEMPLATE, firstSeen: settings.now, lastSeen: settings.now } });
  });

  it("names, on each incident of one root cause in two namespaces at overlapping windows, the event and the other incident", async () => {
    const payments = await seedIncident(db(), { namespace: "payments", start: "2027-03-10T10:00:00Z", windows: 4, patterns: [POOL], ended: true });
    const orders = await seedIncident(db(), { namespace: "orders", start: "2027-03-10T10:30:00Z", windows: 3, patterns: [POOL] });
    // The same root cause after a quiet window: not the same outbreak.
    const ledger = await seedIncident(db(), { namespace: "ledger", start: "2027-03-10T11:30:00Z", windows: 1, patterns: [POOL], ended: true });
    // Another root cause at the same time, in one namespace only.
    const search = await seedIncident(db(), { namespace: "search", start: "2027-03-10T10:00:00Z", windows: 4, patterns: [CACHE] });

    const event = {
      problemId: problemIdOf({ patternId: POOL.id, errorType: POOL.errorType }),
      template: POOL_TEMPLATE,
      errorType: POOL.errorType,
      from: "2027-03-10T10:00:00.000Z",
      to: "2027-03-10T11:15:00.000Z",
      ongoing: true,
      namespaces: ["orders", "payments"],
      namespaceTotal: 2,
      mostAtOnce: 2,
      windows: 7,
    };
    const ofPayments = await detailOf(payments);
    expect(ofPayments.eventsTotal).toBe(1);
    expect(ofPayments.events).toEqual([
      expect.objectContaining({ ...event, incidents: [{ id: orders, namespace: "orders", ongoing: true }], incidentTotal: 1, example: expect.any(String) }),
    ]);
    // Linked over orders' own span and the window before it: payments' first window, two before orders', is not read.
    const ofOrders = await detailOf(orders);
    expect(ofOrders.events).toEqual([
      expect.objectContaining({
        ...event,
        from: "2027-03-10T10:15:00.000Z",
        windows: 6,
        incidents: [{ id: payments, namespace: "payments", ongoing: false }],
        incidentTotal: 1,
      }),
    ]);

    for (const alone of [ledger, search]) {
      const detail = await detailOf(alone);
      expect(detail.events).toEqual([]);
      expect(detail.eventsTotal).toBe(0);
    }
  });

  it("links a stretch that ends right where the incident starts or starts right where it ends, not one a quiet window away", async () => {
    const payments = await seedIncident(db(), { namespace: "payments", start: "2027-03-10T10:00:00Z", windows: 2, patterns: [POOL], ended: true });
    // Its last window ends at 10:00; the other starts at 10:30, the end of payments' last window.
    const before = await seedIncident(db(), { namespace: "orders", start: "2027-03-10T09:45:00Z", windows: 1, patterns: [POOL], ended: true });
    const after = await seedIncident(db(), { namespace: "ledger", start: "2027-03-10T10:30:00Z", windows: 1, patterns: [POOL], ended: true });
    // A quiet window on either side of payments: 09:15–09:30 and 10:45–11:00.
    await seedIncident(db(), { namespace: "billing", start: "2027-03-10T09:15:00Z", windows: 1, patterns: [POOL], ended: true });
    await seedIncident(db(), { namespace: "tax", start: "2027-03-10T10:45:00Z", windows: 1, patterns: [POOL], ended: true });

    const [event] = (await detailOf(payments)).events;
    expect(event).toMatchObject({
      from: "2027-03-10T09:45:00.000Z",
      to: "2027-03-10T10:45:00.000Z",
      namespaces: ["ledger", "orders", "payments"],
      ongoing: false,
    });
    expect(event!.incidents.map((incident) => incident.id)).toEqual([before, after]);
  });

  it("names one event per root cause the incident shares, the most namespaces first", async () => {
    // payments' windows have two root causes: the pool with orders, then the cache with cart and tax.
    const payments = await seedIncident(db(), {
      namespace: "payments",
      start: "2027-03-10T10:00:00Z",
      windows: 4,
      patterns: [POOL, POOL, CACHE],
      status: "resolved",
      ended: true,
    });
    await seedIncident(db(), { namespace: "orders", start: "2027-03-10T10:00:00Z", windows: 1, patterns: [POOL], ended: true });
    await seedIncident(db(), { namespace: "cart", start: "2027-03-10T10:30:00Z", windows: 2, patterns: [CACHE], ended: true });
    await seedIncident(db(), { namespace: "tax", start: "2027-03-10T10:45:00Z", windows: 1, patterns: [CACHE], ended: true });

    const detail = await detailOf(payments);
    expect(detail.eventsTotal).toBe(2);
    expect(detail.events.map((event) => [event.errorType, event.namespaces, event.template])).toEqual([
      [CACHE.errorType, ["cart", "payments", "tax"], null],
      [POOL.errorType, ["orders", "payments"], POOL_TEMPLATE],
    ]);
    expect(detail.events.length).toBeLessThanOrEqual(MAX_INCIDENT_EVENTS);
  });

  it("reads a long incident's last week only: what overlapped its first days is not named", async () => {
    // Ten days of one incident, its windows every quarter hour.
    const startMs = Date.parse("2027-02-28T12:00:00Z");
    const windows = 10 * 96;
    const long = await seedIncident(db(), { namespace: "payments", start: new Date(startMs).toISOString(), windows, patterns: [POOL] });
    const lastWindowEndMs = startMs + windows * QUARTER;
    await seedIncident(db(), { namespace: "orders", start: new Date(startMs + QUARTER).toISOString(), windows: 2, patterns: [POOL], ended: true });
    const lately = await seedIncident(db(), {
      namespace: "ledger",
      start: new Date(lastWindowEndMs - 4 * QUARTER).toISOString(),
      windows: 2,
      patterns: [POOL],
    });

    const detail = await detailOf(long);
    expect(detail.events).toHaveLength(1);
    expect(detail.events[0]).toMatchObject({
      // The week before its last window's end and the window before it.
      from: new Date(lastWindowEndMs - 7 * 86_400_000 - QUARTER).toISOString(),
      to: new Date(lastWindowEndMs).toISOString(),
      namespaces: ["ledger", "payments"],
      incidents: [{ id: lately, namespace: "ledger", ongoing: true }],
    });
  });
});
