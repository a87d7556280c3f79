import { countedWindowKey, type AfterCounting } from "@/lib/db/investigation";
import { findWildcardSamples, saveWildcardSamples } from "@/lib/db/pattern-values";
import type { WindowInvestigation } from "@/lib/pipeline/investigate";
import { mergeWildcardSamples, rekeyWildcardSample, sampleWildcardValues, type HeadlineGroup, type WildcardSample } from "@/lib/pipeline/value-sample";

/** The sampled headlines of one investigated (window, namespace), per pattern id as it is now. */
export type WindowHeadlines = { start: number; namespace: string; byPattern: ReadonlyMap<string, readonly HeadlineGroup[]> };

/**
 * A window's sampled headlines per current pattern id: `current` gives a pattern's id now
 * (patterns may have merged since the window was read), and each headline stands for its share
 * of the pattern's count in the window times `weight` (the window's scaling, as its counts have).
 */
export function windowHeadlines(
  window: { start: number; namespace: string; weight: number; investigation: WindowInvestigation },
  current: (pattern: WindowInvestigation["patterns"][number]) => string,
): WindowHeadlines {
  const byPattern = new Map<string, HeadlineGroup[]>();
  for (const pattern of window.investigation.patterns) {
    const headlines = window.investigation.headlineSamples.get(pattern.patternId) ?? [];
    if (headlines.length === 0) continue;
    const group = { headlines, weight: (pattern.count * window.weight) / headlines.length };
    const id = current(pattern);
    const groups = byPattern.get(id);
    if (groups) groups.push(group);
    else byPattern.set(id, [group]);
  }
  return { start: window.start, namespace: window.namespace, byPattern };
}

/**
 * Adds the windows' values to their patterns' samples in the transaction that counts the
 * windows: only windows counted now add (a re-run adds nothing, like the occurrences), read with
 * each pattern's template as stored now. A stored sample of an older template is re-keyed to it
 * or dropped, even when no window adds to it, so values never sit under the wrong wildcard.
 */
export function addWildcardSamples(windows: readonly WindowHeadlines[]): AfterCounting {
  return async (transaction, countedWindows) => {
    const counted = windows.filter((window) => countedWindows.has(countedWindowKey(window.start, window.namespace)));
    const hashes = [...new Set(windows.flatMap((window) => [...window.byPattern.keys()]))];
    const stored = await findWildcardSamples(transaction, hashes);
    const samples: { patternHash: string; sample: WildcardSample }[] = [];
    const dropped: string[] = [];
    for (const [patternHash, { template, sample: before }] of stored) {
      const groups = counted.flatMap((window) => window.byPattern.get(patternHash) ?? []);
      const rekeyed = before === null ? null : rekeyWildcardSample(before, template);
      const after = groups.length > 0 ? mergeWildcardSamples(rekeyed, sampleWildcardValues(template, groups)) : rekeyed;
      if (after === null) {
        if (before !== null) dropped.push(patternHash);
      } else if (after !== before) {
        samples.push({ patternHash, sample: after });
      }
    }
    await saveWildcardSamples(transaction, samples, dropped);
  };
}
