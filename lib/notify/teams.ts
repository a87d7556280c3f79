/**
 * Microsoft Teams messages for incidents (no I/O here; sending lives with the pipeline run).
 * One message per stored incident (lib/incidents), one when it resolves, and one when errors
 * return after it resolved itself. Teams Workflows webhooks take a message with an Adaptive Card
 * and cannot edit a posted one: an incident that grows is not announced again, its page is live.
 */

export type NotifiablePeak = {
  id: number;
  /** The stored incident of the window; null only for a window not placed yet. */
  incidentId: number | null;
  namespace: string;
  /** Window start, UTC ms. */
  start: number;
  /** Start of the plateau this window continues (its first window), or null. */
  plateauStart: number | null;
  severity: string;
  errorCount: number;
  baselineMean: number;
  ratio: number;
  rootCause: string | null;
  errorType: string | null;
  appName: string | null;
  knownIssue: { id: number; title: string } | null;
  regressionOf: { id: number; title: string; solution: string } | null;
};

export type Incident = {
  /** The stored incident (its page is the message's link), or null for windows not placed yet. */
  incidentId: number | null;
  namespace: string;
  /** The peaks, in time order; the first one is the incident's peak page. */
  peaks: NotifiablePeak[];
  start: number;
  /** End of the last window, UTC ms. */
  end: number;
  /** The same incident always has the same key, so a re-run never sends it twice. */
  dedupeKey: string;
};

const SEVERITY_ORDER = ["low", "medium", "high", "critical"];

/**
 * Groups peaks into incidents: per namespace, windows no further apart than `gapMinutes` belong
 * together. An incident's key is the start of its first peak's plateau, so windows that continue
 * a plateau notified by an earlier run extend that incident rather than open a new one.
 */
export function groupIncidents(peaks: readonly NotifiablePeak[], windowMs: number, gapMinutes: number): Incident[] {
  const sorted = [...peaks].sort((left, right) => left.namespace.localeCompare(right.namespace) || left.start - right.start);
  const incidents: Incident[] = [];
  for (const peak of sorted) {
    const last = incidents.at(-1);
    if (last && last.namespace === peak.namespace && peak.start - last.end <= gapMinutes * 60_000) {
      last.peaks.push(peak);
      last.end = peak.start + windowMs;
      continue;
    }
    incidents.push({
      incidentId: null,
      namespace: peak.namespace,
      peaks: [peak],
      start: peak.start,
      end: peak.start + windowMs,
      dedupeKey: `teams:${peak.namespace}:${new Date(peak.plateauStart ?? peak.start).toISOString()}`,
    });
  }
  return incidents.sort((left, right) => left.start - right.start || left.namespace.localeCompare(right.namespace));
}

/**
 * The incidents of the peaks: those of a stored incident together, keyed by the incident's id
 * (so an incident is announced once however many runs add windows to it); windows not placed in
 * an incident yet grouped as groupIncidents does. In time order.
 */
export function incidentsOfPeaks(peaks: readonly NotifiablePeak[], windowMs: number, gapMinutes: number): Incident[] {
  const stored = new Map<number, NotifiablePeak[]>();
  const unplaced: NotifiablePeak[] = [];
  for (const peak of peaks) {
    if (peak.incidentId === null) {
      unplaced.push(peak);
      continue;
    }
    const windows = stored.get(peak.incidentId);
    if (windows) windows.push(peak);
    else stored.set(peak.incidentId, [peak]);
  }
  const incidents: Incident[] = [...stored].map(([incidentId, windows]) => {
    const sorted = [...windows].sort((left, right) => left.start - right.start || left.id - right.id);
    return {
      incidentId,
      namespace: sorted[0]!.namespace,
      peaks: sorted,
      start: sorted[0]!.start,
      end: sorted.at(-1)!.start + windowMs,
      dedupeKey: `teams:incident:${incidentId}`,
    };
  });
  incidents.push(...groupIncidents(unplaced, windowMs, gapMinutes));
  return incidents.sort((left, right) => left.start - right.start || left.namespace.localeCompare(right.namespace));
}

export type MessageOptions = {
  dashboardUrl: string;
  /** Formats an instant in the configured timezone, e.g. "2026-01-29 10:00". */
  formatTime: (instantMs: number) => string;
  timeZone: string;
};

export type CardElement = Record<string, unknown>;

function fact(title: string, value: string): { title: string; value: string } {
  return { title, value };
}

/** The Workflows webhook payload: a message holding one Adaptive Card (every message of the product, the daily digest too). */
export function cardMessage(body: CardElement[], url: string, title = "Open the incident"): Record<string, unknown> {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          msteams: { width: "Full" },
          body,
          actions: [{ type: "Action.OpenUrl", title, url }],
        },
      },
    ],
  };
}

/** Whether an incident is a known issue that is not a regression: it notifies quietly. */
export function isQuiet(incident: Incident): boolean {
  const first = incident.peaks[0]!;
  return first.knownIssue !== null && first.regressionOf === null;
}

/**
 * The Teams message of an incident: namespace, time, count against baseline and ratio of its
 * worst window, root cause, error type, known-issue or regression label and a link to the peak
 * page. A known issue gets a quiet one-line message.
 */
export function teamsMessage(incident: Incident, options: MessageOptions & { returnedAfterMinutes?: number | null }): Record<string, unknown> {
  const first = incident.peaks[0]!;
  const worst = incident.peaks.reduce((best, peak) => (peak.ratio > best.ratio ? peak : best), first);
  const severity = incident.peaks
    .map((peak) => peak.severity)
    .reduce((top, current) => (SEVERITY_ORDER.indexOf(current) > SEVERITY_ORDER.indexOf(top) ? current : top), first.severity);
  const url = incidentUrl(incident, options);
  const when = `${options.formatTime(incident.start)}–${options.formatTime(incident.end).slice(11)} ${options.timeZone}`;
  const windows = incident.peaks.length === 1 ? "1 window" : `${incident.peaks.length} windows`;
  if (isQuiet(incident)) {
    return cardMessage(
      [
        {
          type: "TextBlock",
          wrap: true,
          isSubtle: true,
          text: `Known issue #${first.knownIssue!.id} ${first.knownIssue!.title}: ${incident.namespace}, ${when}, ${worst.errorCount} errors (${windows}).`,
        },
      ],
      url,
    );
  }
  const returned = options.returnedAfterMinutes;
  const label =
    returned !== undefined && returned !== null
      ? `Regression: errors returned ${describeMinutes(returned)} after it was back to normal`
      : first.regressionOf
        ? `Regression of resolved incident #${first.regressionOf.id} ${first.regressionOf.title}. Earlier solution: ${first.regressionOf.solution}`
        : first.knownIssue
          ? `Known issue #${first.knownIssue.id} ${first.knownIssue.title}`
          : "Unknown: not matched to a known issue";
  const ratio = worst.baselineMean > 0 ? `${worst.ratio.toFixed(1)}×` : "no usual errors";
  return cardMessage(
    [
      {
        type: "TextBlock",
        size: "Large",
        weight: "Bolder",
        wrap: true,
        color: severity === "critical" || severity === "high" ? "Attention" : "Warning",
        text: `${severity.toUpperCase()} error peak in ${incident.namespace}`,
      },
      { type: "TextBlock", wrap: true, isSubtle: true, spacing: "None", text: `${when}, ${windows}` },
      {
        type: "FactSet",
        facts: [
          fact("Errors", `${worst.errorCount} in the worst window (usual ${Math.round(worst.baselineMean)})`),
          fact("Ratio", ratio),
          fact("Root cause", first.rootCause ?? "not investigated yet"),
          fact("Error type", first.errorType ?? "—"),
          fact("App", first.appName ?? "—"),
          fact("Status", label),
        ],
      },
    ],
    url,
  );
}

function incidentUrl(incident: { incidentId: number | null; peaks: readonly { id: number }[] }, options: MessageOptions): string {
  const base = options.dashboardUrl.replace(/\/$/, "");
  return incident.incidentId !== null ? `${base}/incidents/${incident.incidentId}` : `${base}/peaks/${incident.peaks[0]!.id}`;
}

function describeMinutes(minutes: number): string {
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 6) / 10;
  return `${hours} h`;
}

/** A resolved incident as its resolution message needs it. */
export type ResolvedIncidentNotice = {
  incidentId: number;
  namespace: string;
  /** First window start and last window end, UTC ms. */
  start: number;
  end: number;
  resolution: "solution" | "quiet";
  /** Who resolved it ("pipeline" when it resolved itself), and the solution given. */
  actor: string;
  solution: string | null;
  quietWindows: number;
  /** How many times it was reopened: a resolution after a reopening is announced again. */
  reopenCount: number;
};

/** The message that an announced incident is resolved; its key makes it once per resolution. */
export function resolutionMessage(notice: ResolvedIncidentNotice, options: MessageOptions): { dedupeKey: string; payload: Record<string, unknown> } {
  const when = `${options.formatTime(notice.start)}–${options.formatTime(notice.end).slice(11)} ${options.timeZone}`;
  const how =
    notice.resolution === "quiet"
      ? `Back to normal: ${notice.quietWindows} windows in a row under threshold, resolved automatically.`
      : `Resolved by ${notice.actor}${notice.solution ? ` with the solution: ${notice.solution}` : "."}`;
  const body: CardElement[] = [
    { type: "TextBlock", size: "Large", weight: "Bolder", wrap: true, color: "Good", text: `Resolved: error peak in ${notice.namespace}` },
    { type: "TextBlock", wrap: true, isSubtle: true, spacing: "None", text: when },
    { type: "TextBlock", wrap: true, text: how },
  ];
  const url = incidentUrl({ incidentId: notice.incidentId, peaks: [] }, options);
  return { dedupeKey: `teams:incident:${notice.incidentId}:resolved:${notice.reopenCount}`, payload: cardMessage(body, url) };
}

/** A data-gap episode as a message needs it (see lib/db/data-gaps). */
export type DataGapNotice = {
  id: number;
  kind: "stale" | "silent";
  subject: string;
  dataUntil: Date | null;
  detail: string;
  openedAt: Date;
  closedAt: Date | null;
};

/**
 * The message of a data-gap episode: one when it opens, one when it recovers, each with its own
 * dedupe key, so that an episode is announced once however many runs observe it.
 */
export function dataGapMessage(episode: DataGapNotice, options: MessageOptions): { dedupeKey: string; payload: Record<string, unknown> } {
  const isRecovered = episode.closedAt !== null;
  const what = episode.kind === "stale" ? "Log source" : `Namespace ${episode.subject}`;
  const since = episode.dataUntil ? `${options.formatTime(episode.dataUntil.getTime())} ${options.timeZone}` : "unknown";
  const url = `${options.dashboardUrl.replace(/\/$/, "")}/${episode.kind === "stale" ? "runs" : `namespaces/${encodeURIComponent(episode.subject)}`}`;
  const body: CardElement[] = isRecovered
    ? [
        { type: "TextBlock", size: "Large", weight: "Bolder", wrap: true, color: "Good", text: `Data gap closed: ${what} is back` },
        {
          type: "TextBlock",
          wrap: true,
          isSubtle: true,
          spacing: "None",
          text: `Gap from ${options.formatTime(episode.openedAt.getTime())} to ${options.formatTime(episode.closedAt!.getTime())} ${options.timeZone}. Windows of that time that were read late are corrected; windows never read stay gaps.`,
        },
      ]
    : [
        {
          type: "TextBlock",
          size: "Large",
          weight: "Bolder",
          wrap: true,
          color: "Warning",
          text: episode.kind === "stale" ? "Data gap: the log source is behind" : `Data gap: ${episode.subject} went silent`,
        },
        { type: "TextBlock", wrap: true, isSubtle: true, spacing: "None", text: "A quiet dashboard does not mean a quiet system until this closes." },
        { type: "FactSet", facts: [fact("What", episode.detail), fact(episode.kind === "stale" ? "Newest document" : "No errors since", since)] },
      ];
  return { dedupeKey: `data-gap:${episode.id}:${isRecovered ? "recovered" : "opened"}`, payload: cardMessage(body, url) };
}

/** A pattern first seen in a namespace, as its message needs it (see lib/pipeline/first-seen.ts). */
export type FirstSeenNotice = {
  namespace: string;
  patternId: string;
  template: string;
  /** Errors of it in the window it was first seen in (among the documents read). */
  count: number;
  /** That window's start, UTC ms. */
  windowStart: number;
  /** Its incident (the link), or null for a window not placed yet (the peak's page then). */
  incidentId: number | null;
  peakId: number;
};

/**
 * The message that a pattern was seen for the first time in a namespace: its template, when and
 * how often, and a link to the incident. Keyed by namespace and pattern, so that it is sent once
 * ever however many windows or runs see the pattern again.
 */
export function firstSeenMessage(notice: FirstSeenNotice, options: MessageOptions): { dedupeKey: string; payload: Record<string, unknown> } {
  const body: CardElement[] = [
    { type: "TextBlock", size: "Large", weight: "Bolder", wrap: true, color: "Warning", text: `New error pattern in ${notice.namespace}` },
    { type: "TextBlock", wrap: true, isSubtle: true, spacing: "None", text: `Never seen before in ${notice.namespace}: first seen in this incident.` },
    { type: "TextBlock", wrap: true, fontType: "Monospace", text: notice.template },
    {
      type: "FactSet",
      facts: [
        fact("First seen", `${options.formatTime(notice.windowStart)} ${options.timeZone}`),
        fact("Errors", `${notice.count} in that window`),
        fact("Incident", notice.incidentId !== null ? `#${notice.incidentId}` : `peak #${notice.peakId}, not placed in an incident yet`),
      ],
    },
  ];
  const url = incidentUrl({ incidentId: notice.incidentId, peaks: [{ id: notice.peakId }] }, options);
  return { dedupeKey: `teams:first-seen:${notice.namespace}:${notice.patternId}`, payload: cardMessage(body, url) };
}
