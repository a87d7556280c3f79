import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import type { StoredStep } from "@/lib/runs/contract";
import { formatCount, formatDuration } from "@/lib/format";

/** A count key as words: "windowsStored" → "windows stored", "type.http_5xx" → "http 5xx errors". */
function countLabel(key: string): string {
  if (key.startsWith("type.")) return `${key.slice(5).replaceAll("_", " ")} errors`;
  return key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

const STATUS_TONE: Record<StoredStep["status"], string> = { pending: "low", running: "running", succeeded: "succeeded", failed: "failed", skipped: "low" };

/** The nine steps of a run, in order, each with its status, time, counts, note and error. */
export function RunSteps({ steps }: { steps: readonly StoredStep[] }) {
  return (
    <ol className="run-steps">
      {steps.map((step) => (
        <li key={step.name} className={`run-step run-step-${step.status}`} aria-current={step.status === "running" ? "step" : undefined}>
          <div className="run-step-head">
            <span className="run-step-title">{step.title}</span>
            <Badge tone={STATUS_TONE[step.status]}>{step.status}</Badge>
            <span className="muted nowrap">{formatDuration(step.durationMs)}</span>
          </div>
          {Object.keys(step.counts).length > 0 ? (
            <ul className="run-step-counts">
              {Object.entries(step.counts)
                .sort(([left], [right]) => left.localeCompare(right))
                .map(([key, value]) => (
                  <li key={key}>
                    {countLabel(key)}: <strong>{formatCount(value)}</strong>
                  </li>
                ))}
            </ul>
          ) : null}
          {step.note ? <p className="muted run-step-note">{step.note}</p> : null}
          {step.error ? (
            <Alert tone="error" className="run-step-note">
              {step.error}
            </Alert>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
