import { describe, expect, it } from "vitest";
import { dataGapMessage, firstSeenMessage, groupIncidents, incidentsOfPeaks, isQuiet, resolutionMessage, teamsMessage, type NotifiablePeak } from "./teams";

const WINDOW = 900_000;
const T0 = Date.parse("2026-01-29T09:00:00Z");

function peak(overrides: Partial<NotifiablePeak>): NotifiablePeak {
  return {
    id: 1,
    incidentId: null,
    namespace: "payments",
    start: T0,
    plateauStart: null,
    severity: "high",
    errorCount: 400,
    baselineMean: 20,
    ratio: 20,
    rootCause: "deadlock detected on table ledger",
    errorType: "database",
    appName: "ledger",
    knownIssue: null,
    regressionOf: null,
    ...overrides,
  };
}

const options = {
  dashboardUrl: "https://peaks.example.com/",
  formatTime: (ms: number) => new Date(ms + 3_600_000).toISOString().slice(0, 16).replace("T", " "),
  timeZone: "Europe/Prague",
};

type Card = {
  attachments: {
    contentType: string;
    content: { type: string; body: { type: string; text?: string; facts?: { title: string; value: string }[] }[]; actions: { url: string }[] };
  }[];
};

describe("groupIncidents", () => {
  it("puts consecutive windows of a namespace into one incident, and keeps namespaces and gaps apart", () => {
    const incidents = groupIncidents(
      [
        peak({ id: 3, start: T0 + 2 * WINDOW }),
        peak({ id: 1, start: T0 }),
        peak({ id: 2, start: T0 + WINDOW }),
        peak({ id: 4, start: T0 + 6 * WINDOW }),
        peak({ id: 5, namespace: "orders", start: T0 + WINDOW }),
      ],
      WINDOW,
      30,
    );
    expect(incidents.map((incident) => [incident.namespace, incident.peaks.map((entry) => entry.id), incident.dedupeKey])).toEqual([
      ["payments", [1, 2, 3], "teams:payments:2026-01-29T09:00:00.000Z"],
      ["orders", [5], "teams:orders:2026-01-29T09:15:00.000Z"],
      ["payments", [4], "teams:payments:2026-01-29T10:30:00.000Z"],
    ]);
    expect(incidents[0]!.end).toBe(T0 + 3 * WINDOW);
  });

  it("joins windows up to the gap apart", () => {
    expect(groupIncidents([peak({ id: 1 }), peak({ id: 2, start: T0 + 3 * WINDOW })], WINDOW, 30)).toHaveLength(1);
    expect(groupIncidents([peak({ id: 1 }), peak({ id: 2, start: T0 + 4 * WINDOW })], WINDOW, 30)).toHaveLength(2);
  });

  it("keys windows that continue an earlier plateau by the plateau's start, so that incident is not opened again", () => {
    const plateauStart = T0 - 8 * WINDOW;
    const [incident] = groupIncidents([peak({ id: 20, start: T0, plateauStart }), peak({ id: 21, start: T0 + WINDOW, plateauStart })], WINDOW, 30);
    expect(incident!.dedupeKey).toBe("teams:payments:2026-01-29T07:00:00.000Z");
    expect(incident!.peaks.map((entry) => entry.id)).toEqual([20, 21]);
  });
});

describe("incidentsOfPeaks", () => {
  it("keeps the windows of a stored incident together under its id, whatever their gaps, and groups unplaced windows by the gap", () => {
    const incidents = incidentsOfPeaks(
      [
        peak({ id: 1, incidentId: 40, start: T0 }),
        // Far after the first window: still the same stored incident (reopened, say).
        peak({ id: 2, incidentId: 40, start: T0 + 10 * WINDOW }),
        peak({ id: 3, incidentId: 41, namespace: "orders", start: T0 + WINDOW }),
        peak({ id: 4, start: T0 + 20 * WINDOW }),
      ],
      WINDOW,
      30,
    );
    expect(incidents.map((incident) => [incident.incidentId, incident.peaks.map((entry) => entry.id), incident.dedupeKey, incident.end])).toEqual([
      [40, [1, 2], "teams:incident:40", T0 + 11 * WINDOW],
      [41, [3], "teams:incident:41", T0 + 2 * WINDOW],
      [null, [4], "teams:payments:2026-01-29T14:00:00.000Z", T0 + 21 * WINDOW],
    ]);
  });
});

describe("teamsMessage", () => {
  it("links a stored incident's page and says when errors returned after it was back to normal", () => {
    const [incident] = incidentsOfPeaks([peak({ id: 7, incidentId: 12 })], WINDOW, 30);
    const card = teamsMessage(incident!, { ...options, returnedAfterMinutes: 150 }) as Card;
    expect(card.attachments[0]!.content.actions[0]!.url).toBe("https://peaks.example.com/incidents/12");
    const facts = card.attachments[0]!.content.body[2]!.facts!;
    expect(facts.find((entry) => entry.title === "Status")?.value).toBe("Regression: errors returned 2.5 h after it was back to normal");
  });

  it("is an Adaptive Card with the facts an analyst needs and a link to the peak", () => {
    const [incident] = groupIncidents([peak({ id: 7 }), peak({ id: 8, start: T0 + WINDOW, errorCount: 900, ratio: 45, severity: "critical" })], WINDOW, 30);
    const card = teamsMessage(incident!, options) as Card;
    const attachment = card.attachments[0]!;
    expect(attachment.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(attachment.content.type).toBe("AdaptiveCard");
    expect(attachment.content.body[0]!.text).toBe("CRITICAL error peak in payments");
    expect(attachment.content.body[1]!.text).toBe("2026-01-29 10:00–10:30 Europe/Prague, 2 windows");
    expect(Object.fromEntries(attachment.content.body[2]!.facts!.map((entry) => [entry.title, entry.value]))).toEqual({
      Errors: "900 in the worst window (usual 20)",
      Ratio: "45.0×",
      "Root cause": "deadlock detected on table ledger",
      "Error type": "database",
      App: "ledger",
      Status: "Unknown: not matched to a known issue",
    });
    expect(attachment.content.actions[0]!.url).toBe("https://peaks.example.com/peaks/7");
  });

  it("labels a regression with the earlier solution", () => {
    const [incident] = groupIncidents(
      [peak({ regressionOf: { id: 3, title: "Ledger pool", solution: "Raise max_connections" }, knownIssue: { id: 9, title: "Pool" } })],
      WINDOW,
      30,
    );
    expect(isQuiet(incident!)).toBe(false);
    const facts = (teamsMessage(incident!, options) as Card).attachments[0]!.content.body[2]!.facts!;
    expect(facts.find((entry) => entry.title === "Status")?.value).toBe(
      "Regression of resolved incident #3 Ledger pool. Earlier solution: Raise max_connections",
    );
  });

  it("sends a quiet one-line message for a known issue", () => {
    const [incident] = groupIncidents([peak({ knownIssue: { id: 9, title: "Nightly settlement load" } })], WINDOW, 30);
    expect(isQuiet(incident!)).toBe(true);
    const body = (teamsMessage(incident!, options) as Card).attachments[0]!.content.body;
    expect(body).toHaveLength(1);
    expect(body[0]!.text).toBe("Known issue #9 Nightly settlement load: payments, 2026-01-29 10:00–10:15 Europe/Prague, 400 errors (1 window).");
  });

  it("says when a namespace usually has no errors and when a peak is not investigated yet", () => {
    const [incident] = groupIncidents([peak({ baselineMean: 0, ratio: 999, rootCause: null })], WINDOW, 30);
    const facts = (teamsMessage(incident!, options) as Card).attachments[0]!.content.body[2]!.facts!;
    expect(facts.find((entry) => entry.title === "Ratio")?.value).toBe("no usual errors");
    expect(facts.find((entry) => entry.title === "Root cause")?.value).toBe("not investigated yet");
  });
});

describe("resolutionMessage", () => {
  const notice = {
    incidentId: 12,
    namespace: "payments",
    start: T0,
    end: T0 + 3 * WINDOW,
    resolution: "quiet" as const,
    actor: "pipeline",
    solution: null,
    quietWindows: 4,
    reopenCount: 0,
  };
  it("says an incident is back to normal, once per resolution", () => {
    const { dedupeKey, payload } = resolutionMessage(notice, options);
    expect(dedupeKey).toBe("teams:incident:12:resolved:0");
    const content = (payload as Card).attachments[0]!.content;
    expect(content.body.map((block) => block.text)).toEqual([
      "Resolved: error peak in payments",
      "2026-01-29 10:00–10:45 Europe/Prague",
      "Back to normal: 4 windows in a row under threshold, resolved automatically.",
    ]);
    expect(content.actions[0]!.url).toBe("https://peaks.example.com/incidents/12");
    expect(resolutionMessage({ ...notice, reopenCount: 2 }, options).dedupeKey).toBe("teams:incident:12:resolved:2");
  });
  it("names who resolved it and the solution", () => {
    const { payload } = resolutionMessage({ ...notice, resolution: "solution", actor: "ana@example.com", solution: "Raised the pool to 40." }, options);
    expect((payload as Card).attachments[0]!.content.body[2]!.text).toBe("Resolved by ana@example.com with the solution: Raised the pool to 40.");
  });
});

describe("dataGapMessage", () => {
  const gapOptions = {
    dashboardUrl: "https://peaks.example/",
    formatTime: (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " "),
    timeZone: "UTC",
  };
  const episode = {
    id: 7,
    kind: "stale" as const,
    subject: "",
    dataUntil: new Date("2026-01-29T10:42:00Z"),
    detail: "the source ends at 2026-01-29 10:42, 52 min behind",
    openedAt: new Date("2026-01-29T11:34:00Z"),
    closedAt: null,
  };
  const text = (payload: Record<string, unknown>) => JSON.stringify(payload);

  it("announces an open episode once per episode, with what is missing and since when", () => {
    const opened = dataGapMessage(episode, gapOptions);
    expect(opened.dedupeKey).toBe("data-gap:7:opened");
    expect(text(opened.payload)).toContain("Data gap: the log source is behind");
    expect(text(opened.payload)).toContain("2026-01-29 10:42 UTC");
    expect(text(opened.payload)).toContain("https://peaks.example/runs");
  });

  it("announces its recovery under a key of its own", () => {
    const closed = dataGapMessage({ ...episode, closedAt: new Date("2026-01-29T12:05:00Z") }, gapOptions);
    expect(closed.dedupeKey).toBe("data-gap:7:recovered");
    expect(text(closed.payload)).toContain("Data gap closed: Log source is back");
  });

  it("names a silent namespace and links its chart", () => {
    const silent = dataGapMessage({ ...episode, kind: "silent", subject: "pay ments" }, gapOptions);
    expect(text(silent.payload)).toContain("Data gap: pay ments went silent");
    expect(text(silent.payload)).toContain("https://peaks.example/namespaces/pay%20ments");
  });
});

describe("firstSeenMessage", () => {
  const notice = {
    namespace: "payments",
    patternId: "c3a1f0",
    template: "Certificate validation failed for issuer <*>",
    count: 8,
    windowStart: T0,
    incidentId: 12,
    peakId: 40,
  };

  it("is keyed by namespace and pattern, so that it is sent once ever whatever window or incident sees it", () => {
    expect(firstSeenMessage(notice, options).dedupeKey).toBe("teams:first-seen:payments:c3a1f0");
    expect(firstSeenMessage({ ...notice, windowStart: T0 + WINDOW, incidentId: 13, peakId: 41 }, options).dedupeKey).toBe("teams:first-seen:payments:c3a1f0");
    expect(firstSeenMessage({ ...notice, namespace: "orders" }, options).dedupeKey).toBe("teams:first-seen:orders:c3a1f0");
  });

  it("names the namespace, the template, when and how often, and links the incident", () => {
    const content = (firstSeenMessage(notice, options).payload as Card).attachments[0]!.content;
    expect(content.body.map((block) => block.text)).toEqual([
      "New error pattern in payments",
      "Never seen before in payments: first seen in this incident.",
      "Certificate validation failed for issuer <*>",
      undefined,
    ]);
    expect(content.body[3]!.facts).toEqual([
      { title: "First seen", value: "2026-01-29 10:00 Europe/Prague" },
      { title: "Errors", value: "8 in that window" },
      { title: "Incident", value: "#12" },
    ]);
    expect(content.actions[0]!.url).toBe("https://peaks.example.com/incidents/12");
  });

  it("links the peak's page for a window not placed in an incident yet", () => {
    const content = (firstSeenMessage({ ...notice, incidentId: null }, options).payload as Card).attachments[0]!.content;
    expect(content.actions[0]!.url).toBe("https://peaks.example.com/peaks/40");
  });
});
