import { countedWindowKey, type AfterCounting } from "@/lib/db/investigation";
import { addNamespaceVersions } from "@/lib/db/versions";
import { mergeVersionSightings, type VersionSighting } from "@/lib/pipeline/versions";

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
