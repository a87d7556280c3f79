import { Alert } from "@/components/ui/alert";
import type { PeakDetail } from "@/lib/peaks/contract";
import { formatDateTime } from "@/lib/format";

/** The AI's summary and next steps, its error, or that the peak was not analysed. */
export function AiSummary({ ai, timeZone }: { ai: PeakDetail["ai"]; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="ai-summary">
      <h2 id="ai-summary">AI summary</h2>
      {ai.error ? (
        // The stored outcome of an earlier analysis, not something that just happened: not announced.
        <Alert tone="error" role={null}>
          The last AI analysis failed: {ai.error}
        </Alert>
      ) : null}
      {ai.summary ? (
        <>
          <p className="pk-prose">{ai.summary}</p>
          {ai.nextSteps.length > 0 ? (
            <>
              <h3 className="pk-hint">Next steps</h3>
              <ol>
                {ai.nextSteps.map((step) => (
                  <li key={step}>{step}</li>
                ))}
              </ol>
            </>
          ) : null}
          <p className="pk-hint">
            {ai.model ? `By ${ai.model}` : "Analysed"}
            {ai.analyzedAt ? `, ${formatDateTime(ai.analyzedAt, timeZone)}` : ""}. Check it against the facts on this page.
          </p>
        </>
      ) : ai.error ? null : (
        <p className="muted">Not analysed: the AI analysis is off, or has not reached this peak yet.</p>
      )}
    </section>
  );
}
