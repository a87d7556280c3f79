import { z } from "zod";
import type { CrossNamespaceEventSummary } from "@/lib/events/contract";
import { formatDateTime, formatMinutes } from "@/lib/format";
import type { PeakStatus } from "@/lib/peaks/contract";
import { statusWords } from "@/lib/peaks/words";
import type { IncidentAuditEntry, IncidentSnooze, IncidentSummary } from "./contract";

// The incident pages' words: pure and safe for the browser.

export { formatMinutes };

const MINUTE_MS = 60_000;

/** How long an incident lasted, from its first window's start to its last window's end (ISO instants). */
export function formatIncidentDuration(incident: Pick<IncidentSummary, "start" | "end">): string {
  return formatMinutes((Date.parse(incident.end) - Date.parse(incident.start)) / MINUTE_MS);
}

/** A snooze in words: "snoozed until 3 Dec 2026, 14:00 or until it grows ×3"; lifted ones say why. */
export function describeSnooze(snooze: IncidentSnooze, timeZone: string): string {
  if (snooze.state === "expired") return "snooze ended: its time passed (lifted at the next run)";
  if (snooze.state === "grew") return `snooze ended: it grew ×${snooze.growth ?? "?"} (lifted at the next run)`;
  const parts = [
    ...(snooze.until ? [`until ${formatDateTime(snooze.until, timeZone)}`] : []),
    ...(snooze.growth !== null ? [`until it grows ×${formatFactor(snooze.growth)}`] : []),
  ];
  return `snoozed ${parts.join(" or ")}`;
}

function formatFactor(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

// Audit details as lib/incidents/actions.ts and lib/incidents/track.ts write them; every field
// optional, so that an entry written by an older version still reads.
const detailsSchema = z
  .object({
    from: z.string(),
    owner: z.string().nullable(),
    reason: z.string(),
    knownIssueId: z.number(),
    title: z.string(),
    created: z.boolean(),
    solution: z.string(),
    knownPeakId: z.number(),
    resolvedKnownIssueId: z.number().nullable(),
    regression: z.boolean(),
    returnedAfterMinutes: z.number(),
    until: z.string().nullable(),
    growth: z.number().nullable(),
    quietWindows: z.number(),
  })
  .partial();

const quote = (text: string) => `“${text}”`;

function wasWords(from: string | undefined): string {
  return from && from in statusWords ? ` (it was ${statusWords[from as PeakStatus]})` : "";
}

/** What an audit entry of an incident did, in words, without the actor: "acknowledged it; owner ana@example.com". */
export function describeIncidentAuditEntry(entry: Pick<IncidentAuditEntry, "action" | "details">, timeZone: string): string {
  const parsed = detailsSchema.safeParse(entry.details);
  const details = parsed.success ? parsed.data : {};
  const issue = `${details.knownIssueId === undefined ? "a known issue" : `known issue #${details.knownIssueId}`}${details.title ? ` ${quote(details.title)}` : ""}`;
  switch (entry.action) {
    case "incident.acknowledge":
      return details.owner ? `acknowledged it, owner ${details.owner}` : "acknowledged it";
    case "incident.assign":
      return details.owner ? `made ${details.owner} its owner` : "removed its owner";
    case "incident.reopen":
      return details.regression
        ? `reopened it as a regression: errors returned ${formatMinutes(details.returnedAfterMinutes ?? 0)} after it resolved itself`
        : `reopened it${wasWords(details.from)}`;
    case "incident.false_positive":
      return `marked it as a false positive${details.reason ? `: ${quote(details.reason)}` : ""}`;
    case "incident.known_issue":
      return details.created ? `created ${issue} from it` : `attached it to ${issue}`;
    case "incident.resolve":
      return `resolved it${details.solution ? ` with the solution ${quote(details.solution)}` : ""}${details.knownPeakId === undefined ? "" : ` (known peak #${details.knownPeakId})`}`;
    case "incident.auto_resolve":
      return `resolved it as back to normal after ${details.quietWindows ?? "its"} quiet windows`;
    case "incident.snooze": {
      const parts = [
        ...(details.until ? [`until ${formatDateTime(details.until, timeZone)}`] : []),
        ...(details.growth ? [`until it grows ×${formatFactor(details.growth)}`] : []),
      ];
      return `snoozed it ${parts.join(" or ")}`.trimEnd();
    }
    case "incident.unsnooze":
      return "lifted its snooze";
    case "incident.snooze_lifted":
      return details.reason === "grew" ? "lifted its snooze: it grew by the factor it was snoozed for" : "lifted its snooze: its time passed";
    default:
      return entry.action;
  }
}

/**
 * The regression note of an incident's page: how long after it resolved itself its errors
 * returned, from the newest reopening the pipeline recorded; null when it never returned.
 */
export function regressionNote(audit: readonly Pick<IncidentAuditEntry, "action" | "details">[]): string | null {
  for (const entry of audit) {
    if (entry.action !== "incident.reopen") continue;
    const parsed = detailsSchema.safeParse(entry.details);
    if (parsed.success && parsed.data.regression && parsed.data.returnedAfterMinutes !== undefined) {
      return `Errors returned ${formatMinutes(parsed.data.returnedAfterMinutes)} after it resolved itself.`;
    }
  }
  return null;
}

/** What a first-seen pattern means on the page about `subject` ("incident", "window"): "new in payments: first seen in this incident". */
export function firstSeenSentence(namespace: string, subject: "incident" | "window"): string {
  return `new in ${namespace}: first seen in this ${subject}`;
}

/**
 * The namespaces an incident's page names for an event it is part of: the incident's own
 * (`namespace`) first, then the others as the event lists them (by name), and how many of the
 * event's namespaces are left unnamed.
 */
export function eventNamespacesOf(
  event: Pick<CrossNamespaceEventSummary, "namespaces" | "namespaceTotal">,
  namespace: string,
): { named: string[]; more: number } {
  const named = [namespace, ...event.namespaces.filter((other) => other !== namespace)];
  return { named, more: Math.max(0, event.namespaceTotal - named.length) };
}
