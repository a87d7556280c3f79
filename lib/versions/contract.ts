// Release impact as the browser, the route handlers and the command line see it: the errors of
// an incident or a problem (per namespace) by application version, and what they say about its releases
// (lib/pipeline/versions.ts decides). Answers only, JSON-safe: times are ISO strings.

/** One version of the incident's namespace: its errors in the incident and what the namespace's timeline says of it. */
export type VersionImpactRow = {
  version: string;
  /** Errors of it in the windows (estimated: each window's documents read, scaled to its total). */
  errors: number;
  /** Share of the errors with a version, 0 to 1. */
  share: number;
  /** Windows with errors of it. */
  windows: number;
  /** Its first and last error seen in the namespace; null when the timeline does not hold it (not tracked yet). */
  firstSeen: string | null;
  lastSeen: string | null;
  /** How long it ran within the span (its first error seen to its last, plus a window), whole minutes; null when unknown. */
  runningMinutes: number | null;
  /** Errors per hour of running, to tenths; null when unknown. */
  perHour: number | null;
};

export const versionFindingKinds = ["new_release", "only_since", "regression", "above_others"] as const;
export type VersionFindingKind = (typeof versionFindingKinds)[number];

/** What the errors by version say, each a finding lib/pipeline/versions.ts analyzeVersions drew. */
export type VersionFinding =
  | {
      kind: "new_release";
      version: string;
      firstSeen: string;
      /** Minutes from its first error seen to the span's start (negative: first seen inside the span). */
      minutesBeforeStart: number;
      share: number;
      previousVersion: string;
    }
  | { kind: "only_since"; version: string; firstSeen: string; errors: number; quietVersions: string[]; quietMinutes: number; expectedErrors: number }
  | { kind: "regression"; before: string; quietVersions: string[]; quietMinutes: number; expectedErrors: number; back: string; backFirstSeen: string }
  | { kind: "above_others"; version: string; errors: number; perHour: number; othersPerHour: number; factor: number };

/** The errors of some windows by version, and the findings. */
export type VersionImpact = {
  /** Versions with errors and, within the span, the versions that ran without any; in the order they appeared, unknown ones last. */
  versions: VersionImpactRow[];
  /** Errors with a version, without one, and of versions past those kept per window. */
  versioned: number;
  unversioned: number;
  otherVersions: number;
  /** Windows whose errors by version are stored, of all the windows. */
  windowsRead: number;
  windows: number;
  findings: VersionFinding[];
};

/** A version's first appearance in a namespace: a deploy marker on its chart (UTC ms, the chart's axis). */
export type DeployMarker = { version: string; at: number };
