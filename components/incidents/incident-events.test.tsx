import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { CrossNamespaceEventSummary } from "@/lib/events/contract";
import type { IncidentDetail } from "@/lib/incidents/contract";
import { IncidentEvents } from "./incident-events";

const event: CrossNamespaceEventSummary = {
  problemId: "9f1c2a7be0d44e-timeout",
  template: "HikariPool-1 - Connection is not available, request timed out after <*>ms",
  example: "HikariPool-1 - Connection is not available, request timed out after 30000ms",
  errorType: "timeout",
  from: "2026-11-23T14:15:00.000Z",
  to: "2026-11-23T15:30:00.000Z",
  ongoing: false,
  namespaces: ["ledger", "orders", "payments"],
  namespaceTotal: 4,
  mostAtOnce: 3,
  incidents: [
    { id: 12, namespace: "orders", ongoing: true },
    { id: 14, namespace: "ledger", ongoing: false },
  ],
  incidentTotal: 3,
  windows: 9,
  errors: 4200,
};

// Only what the card reads of the incident matters here.
const incidentWith = (events: CrossNamespaceEventSummary[], eventsTotal = events.length) =>
  ({ id: 11, namespace: "payments", start: "2026-11-23T14:30:00.000Z", events, eventsTotal }) as IncidentDetail;

const render = (incident: IncidentDetail) => renderToStaticMarkup(<IncidentEvents incident={incident} timeZone="UTC" />);

describe("IncidentEvents", () => {
  it("shows nothing, not an empty card, when the incident is part of no event", () => {
    expect(render(incidentWith([]))).toBe("");
  });

  it("names the event in words: its namespaces (the incident's own first), its span and its root cause linked to the problem", () => {
    const html = render(incidentWith([event]));
    expect(html).toContain('<section class="card ic-events" aria-labelledby="incident-events-heading"><h2 id="incident-events-heading">Across namespaces</h2>');
    expect(html).toContain(
      "Part of an event across <strong>4 namespaces</strong> (payments, ledger, orders, +1 more) from 14:15 to 15:30: the same root cause ",
    );
    expect(html).toContain('href="/problems/9f1c2a7be0d44e-timeout"');
    expect(html).toContain(">HikariPool-1 - Connection is not available, request timed out after &lt;*&gt;ms</a>");
  });

  it("links the other incidents, ongoing ones said so, and counts those it leaves out", () => {
    const html = render(incidentWith([event]));
    expect(html).toContain(
      '<span class="muted">Other incidents: </span><span><a aria-label="Incident 12 in orders, ongoing" href="/incidents/12">#12 orders</a><span class="muted"> (ongoing)</span>',
    );
    expect(html).toContain('<a aria-label="Incident 14 in ledger" href="/incidents/14">#14 ledger</a>');
    expect(html).toContain('<span class="muted"> +1 more</span></p>');
  });

  it("says an ongoing event lasts until now and marks the card, and counts the events it does not name", () => {
    const html = render(incidentWith([{ ...event, ongoing: true }], 3));
    expect(html).toContain('class="card ic-events ic-events-ongoing"');
    expect(html).toContain("from 14:15 until now:");
    expect(html).toContain("And 2 more events of its other root causes");
  });
});
