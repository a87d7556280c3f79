import { describeCorrection, type WindowCorrectionEntry } from "@/lib/completeness/corrections";

/** The corrections of a peak's window (late documents, a re-read), newest first; nothing when there are none. */
export function WindowCorrections({ corrections, timeZone }: { corrections: readonly WindowCorrectionEntry[]; timeZone: string }) {
  if (corrections.length === 0) return null;
  return (
    <section className="card window-corrections" aria-labelledby="window-corrections">
      <h2 id="window-corrections">This window was counted again</h2>
      <p className="muted">Its count changed after it was first judged; the decision below uses the newest count.</p>
      <ul>
        {corrections.map((correction) => (
          <li key={`${correction.correctedAt}|${correction.previousCount}|${correction.count}`}>{describeCorrection(correction, timeZone)}</li>
        ))}
      </ul>
    </section>
  );
}
