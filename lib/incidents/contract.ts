import { z } from "zod";
import type { CrossNamespaceEventSummary } from "@/lib/events/contract";
import type { LabelledPeak } from "@/lib/known-issues/contract";
import type { LogsLinks } from "@/lib/logs-link";
import {
  attachToKnownIssueSchema,
  createKnownIssueFromPeakSchema,
  cursorSchema,
  instantSchema,
  listOf,
  markFalsePositiveSchema,
  peakStatuses,
  resolvePeakSchema,
  type PeakSeverity,
  type PeakStatus,
} from "@/lib/peaks/contract";
import { recordIdSchema } from "@/lib/record-id";
import type { VersionImpact } from "@/lib/versions/contract";

// What the incident routes and pages exchange: inputs (zod) and answers. An incident is the run of
// consecutive peak windows of one namespace; its actions apply to all its windows.

export const incidentIdSchema = recordIdSchema;

export const MAX_INCIDENT_PAGE_SIZE = 200;
/** The most cross-namespace events an incident's page names (one per problem of its windows at most). */
export const MAX_INCIDENT_EVENTS = 5;
export const DEFAULT_INCIDENT_PAGE_SIZE = 50;

/** The longest snooze by time, and the largest growth factor a snooze may wait for. */
export const MAX_SNOOZE_DAYS = 30;
export const MAX_SNOOZE_GROWTH = 100;

export const listIncidentsSchema = z
  .object({
    status: listOf(z.enum(peakStatuses)).optional(),
    namespace: listOf(z.string().trim().min(1).max(200)).optional(),
    /** "true": still ongoing only; "false": ended only. */
    ongoing: z.enum(["true", "false"]).optional(),
    /** First window start, inclusive. */
    from: instantSchema.optional(),
    /** First window start, exclusive. */
    to: instantSchema.optional(),
    cursor: cursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_INCIDENT_PAGE_SIZE).default(DEFAULT_INCIDENT_PAGE_SIZE),
  })
  .refine((input) => !input.from || !input.to || Date.parse(input.from) < Date.parse(input.to), { message: "must be after from", path: ["to"] });
export type ListIncidentsInput = z.input<typeof listIncidentsSchema>;

const ownerIdSchema = recordIdSchema;

export const snoozeSchema = z
  .object({
    /** Snoozed until this instant: in the future, at most MAX_SNOOZE_DAYS ahead. */
    until: instantSchema.optional(),
    /** Or until the incident's excess errors grow by this factor (more than 1). */
    growth: z.number().gt(1, "must be more than 1").max(MAX_SNOOZE_GROWTH).optional(),
  })
  .refine((input) => input.until !== undefined || input.growth !== undefined, { message: "give until, growth or both", path: ["until"] });

/** The body of POST /api/incidents/[id]/actions: one action, chosen by `action`. */
export const incidentActionSchema = z.discriminatedUnion("action", [
  /** Someone is on it: the owner (the actor when not given) becomes the incident's owner. */
  z.object({ action: z.literal("acknowledge"), ownerId: ownerIdSchema.optional() }),
  z.object({ action: z.literal("assign"), ownerId: ownerIdSchema.nullable() }),
  z.object({ action: z.literal("reopen") }),
  markFalsePositiveSchema.extend({ action: z.literal("false_positive") }),
  attachToKnownIssueSchema.extend({ action: z.literal("attach_known_issue") }),
  createKnownIssueFromPeakSchema.extend({ action: z.literal("create_known_issue") }),
  resolvePeakSchema.extend({ action: z.literal("resolve") }),
  snoozeSchema.safeExtend({ action: z.literal("snooze") }),
  z.object({ action: z.literal("unsnooze") }),
]);
export type IncidentActionInput = z.input<typeof incidentActionSchema>;
export type IncidentAction = z.output<typeof incidentActionSchema>["action"];

export const incidentRequestSchema = z.object({ id: incidentIdSchema });
export const incidentActionRequestSchema = incidentRequestSchema.and(incidentActionSchema);

/** The window an incident is shown by: its worst investigated one (else its worst). */
export type IncidentLeadWindow = {
  peakId: number;
  /** Window start, ISO. */
  timestamp: string;
  errorCount: number;
  ratio: number;
  rootCause: string | null;
  errorType: string | null;
  appName: string | null;
  affectedServices: string[];
  traceId: string | null;
};

export type IncidentSnooze = {
  until: string | null;
  growth: number | null;
  /** active: still snoozed; expired / grew: lifted at the next run, for that reason. */
  state: "active" | "expired" | "grew";
};

export type IncidentSummary = {
  id: number;
  namespace: string;
  /** First window start and last window end, ISO. */
  start: string;
  end: string;
  /** Not yet incidents.auto_resolve_quiet_windows windows back under threshold. */
  ongoing: boolean;
  status: PeakStatus;
  owner: { id: number; email: string } | null;
  snooze: IncidentSnooze | null;
  resolution: "solution" | "quiet" | null;
  resolvedAt: string | null;
  /** When errors returned after it resolved itself (a regression), and how often. */
  reopenedAt: string | null;
  reopenCount: number;
  windows: number;
  errors: number;
  /** Errors above the windows' baselines. */
  excess: number;
  severity: PeakSeverity;
  lead: IncidentLeadWindow;
  /** The last window's count against the count its threshold required. */
  latest: { peakId: number; timestamp: string; errorCount: number; requiredCount: number };
  knownIssue: { id: number; title: string } | null;
  regressionOf: { id: number; title: string } | null;
};

export type IncidentPage = { incidents: IncidentSummary[]; nextCursor: string | null };

export type IncidentWindow = {
  peakId: number;
  timestamp: string;
  severity: PeakSeverity;
  status: PeakStatus;
  errorCount: number;
  baselineMean: number;
  ratio: number;
  rootCause: string | null;
};

/** A pattern first seen in the incident's namespace in one of its windows (see lib/pipeline/first-seen.ts). */
export type IncidentFirstSeenPattern = {
  patternId: string;
  template: string;
  /** Errors of it in that window (among the documents read). */
  count: number;
  peakId: number;
  /** Start of that window, ISO. */
  timestamp: string;
};

export type IncidentAuditEntry = { id: string; actor: string; action: string; details: unknown; createdAt: string };

export type IncidentDetail = IncidentSummary & {
  windowList: IncidentWindow[];
  /** Patterns never seen before in its namespace, first seen in this incident; most errors first. */
  firstSeenPatterns: IncidentFirstSeenPattern[];
  /** Its errors by application version and what they say of the namespace's releases; null when no window has them (investigated before versions were read). */
  versions: VersionImpact | null;
  audit: IncidentAuditEntry[];
  /** Links to the raw logs of the incident's span and of its lead window's trace; null when not configured. */
  logLinks: LogsLinks | null;
  /**
   * The cross-namespace events it is part of: the same root cause (pattern and error type) in
   * other namespaces at overlapping or back-to-back windows. Linked over the incident's own span
   * (its last week at most) and the window on each side, so an event's from, to, namespaces and
   * figures are those of that span; its incidents are the other incidents (this one left out).
   * Ongoing ones first, then the most namespaces; at most MAX_INCIDENT_EVENTS of eventsTotal.
   */
  events: CrossNamespaceEventSummary[];
  eventsTotal: number;
};

export type IncidentActionResult = { incident: IncidentSummary; labelled?: LabelledPeak[]; knownPeakId?: number };

/** A user an incident can be given to: an enabled analyst or admin. */
export type IncidentOwnerOption = { id: number; email: string; role: "analyst" | "admin" };
