import { countedWindowKey, type AfterCounting } from "@/lib/db/investigation";
import { addNamespaceVersions } from "@/lib/db/versions";
import { VERSIONS_SEEN_BUCKET_MS, type TimeRange, type VersionsSeen } from "@/lib/pipeline/log-document";
import { mergeVersionSightings, type NamespaceVersionAddition, type VersionSighting, type VersionTimelineEntry } from "@/lib/pipeline/versions";

/** The versions one investigated (window, namespace) showed (lib/pipeline/versions.ts sightVersions). */
export type WindowVersions = { start: number; namespace: string; sightings: readonly VersionSighting[] };

/**
 * `after`, then the windows' versions added to their namespaces' timelines, in the transaction
 * that counts the windows: only windows counted now add (pattern_windows), so tracking or
 * enriching a window again never counts its errors twice. One statement for all the windows.
 */
export function withVersionSightings(after: AfterCounting, windows: readonly WindowVersions[]): AfterCounting {
  return async (transaction, countedWindows) => {
    await after(transaction, countedWindows);
    const counted = windows.filter((window) => window.sightings.length > 0 && countedWindows.has(countedWindowKey(window.start, window.namespace)));
    await addNamespaceVersions(transaction, mergeVersionSightings(counted));
  };
}

/**
 * What the documents an ingestion counted add to the version timelines: each namespace's
 * versions first and last seen in the buckets reaching into the range (documents read, so true
 * sightings even where a bucket reaches past the range). Errors are left to the counted windows
 * (withVersionSightings): null here, "not counted", never 0. The first and last seen only widen,
 * so ingesting a window again, or tracking it later, never counts its errors twice.
 */
export function versionsSeenIn(versions: VersionsSeen, range: TimeRange): NamespaceVersionAddition[] {
  const windows: { namespace: string; sightings: VersionTimelineEntry[] }[] = [];
  for (const [start, byNamespace] of versions) {
    if (start >= range.toMs || start + VERSIONS_SEEN_BUCKET_MS <= range.fromMs) continue;
    for (const [namespace, byVersion] of byNamespace) {
      windows.push({ namespace, sightings: [...byVersion].map(([version, seen]) => ({ version, errors: null, ...seen })) });
    }
  }
  return mergeVersionSightings(windows);
}
