import type { PeakExplanation } from "@/lib/peaks/explain";

/** "Why it was flagged": the explanation of a peak's decision, in words. */
export function WhyFlagged({ explanation }: { explanation: PeakExplanation }) {
  return (
    <section className="card pk-explanation" aria-labelledby="why-flagged">
      <h2 id="why-flagged">Why it was flagged</h2>
      <p>{explanation.summary}</p>
      <p className="pk-hint">It passed all three checks:</p>
      <ul>
        {explanation.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      <ul className="muted">
        {explanation.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </section>
  );
}
