import { Badge } from "@/components/ui/badge";
import type { PeakExplanation } from "@/lib/peaks/explain";

const countWords = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

/** "It passed all five checks:" — how many there are depends on the thresholds and what was stored with the peak. */
function passedChecks(count: number): string {
  if (count === 1) return "It passed the one check:";
  return `It passed all ${countWords[count] ?? count} checks:`;
}

/** Longest lead-in ("Same-day view", "Beyond the spread of its slot") set apart from the rest of a line. */
const MAX_LEAD_CHARS = 70;

/**
 * A line as a short lead-in and the rest, when it starts with one ("Same-day view: 3.2× …"):
 * the lead-ins name each view of "unusual", and set apart they let the long lines be scanned.
 */
export function splitLead(line: string): { lead: string | null; rest: string } {
  const colon = line.indexOf(": ");
  if (colon <= 0 || colon > MAX_LEAD_CHARS) return { lead: null, rest: line };
  const lead = line.slice(0, colon);
  // A colon after a first sentence belongs to that sentence, not to a lead-in.
  if (lead.includes(". ")) return { lead: null, rest: line };
  return { lead, rest: line.slice(colon + 2) };
}

function Line({ text }: { text: string }) {
  const { lead, rest } = splitLead(text);
  return lead === null ? (
    <>{text}</>
  ) : (
    <>
      <strong>{lead}:</strong> {rest}
    </>
  );
}

/**
 * "Why it was flagged": the explanation of a peak's decision, in words. A young baseline (pooled
 * from neighbouring slots or the namespace's recent level) gets a badge beside the summary, as
 * such a peak deserves more care; the note below says why.
 */
export function WhyFlagged({ explanation, isYoungBaseline = false }: { explanation: PeakExplanation; isYoungBaseline?: boolean }) {
  return (
    <section className="card pk-explanation" aria-labelledby="why-flagged">
      <h2 id="why-flagged">Why it was flagged</h2>
      <p>
        {explanation.summary}
        {isYoungBaseline ? (
          <>
            {" "}
            <Badge tone="young">Young baseline</Badge>
          </>
        ) : null}
      </p>
      <p className="pk-hint">{passedChecks(explanation.reasons.length)}</p>
      <ul>
        {explanation.reasons.map((reason) => (
          <li key={reason}>
            <Line text={reason} />
          </li>
        ))}
      </ul>
      <ul className="muted">
        {explanation.notes.map((note) => (
          <li key={note}>
            <Line text={note} />
          </li>
        ))}
      </ul>
    </section>
  );
}
