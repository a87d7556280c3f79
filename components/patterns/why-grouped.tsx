import { DataTable, type Column } from "@/components/ui/data-table";
import type { WildcardSample } from "@/lib/patterns/contract";
import { formatCount } from "@/lib/format";
import { formatShare, leadingValueSentence, NOTABLE_SHARE, shownWildcards, templateParts, wildcardLabel, type ShownValue } from "@/lib/patterns/why-grouped";

// Values come from log messages (user data): they are rendered as text only, never as markup.

const valueColumns: Column<ShownValue>[] = [
  { key: "value", header: "Value", className: "why-value", cell: (row) => <code>{row.value}</code> },
  { key: "count", header: "Errors", align: "end", cell: (row) => formatCount(Math.round(row.count)) },
  {
    key: "share",
    header: "Share",
    align: "end",
    className: "pattern-share",
    cell: (row) => (
      <>
        <span className="pattern-share-bar" style={{ width: `${Math.round(row.share * 100)}%` }} aria-hidden="true" />
        {formatShare(row.share)}
      </>
    ),
  },
];

/** The template with each wildcard numbered as the lists below name it. */
function NumberedTemplate({ template }: { template: string }) {
  return (
    <pre className="pattern-pre why-numbered-template">
      {templateParts(template).map((part, index) =>
        part.kind === "text" ? (
          <span key={index}>{part.text}</span>
        ) : (
          <mark key={index} className="why-wildcard">
            {wildcardLabel(part.number)}
          </mark>
        ),
      )}
    </pre>
  );
}

/**
 * The pattern page's "Why grouped" card: per wildcard of the template, the values seen most with
 * their errors and share, the errors of all other values, and in words a value behind most of them.
 */
export function WhyGroupedCard({ sample }: { sample: WildcardSample | null }) {
  return (
    <section className="card pattern-section" aria-labelledby="pattern-why-grouped">
      <h2 id="pattern-why-grouped">Why grouped</h2>
      {sample === null || sample.total <= 0 ? (
        <p className="muted">No values sampled for this template yet: they are read from the errors of the next windows counted.</p>
      ) : sample.positions.length === 0 ? (
        <p className="muted">The template has no wildcard: all {formatCount(Math.round(sample.total))} errors sampled had this very text.</p>
      ) : (
        <>
          <p className="muted">
            The values at each wildcard in about {formatCount(Math.round(sample.total))} errors (estimated from a sample of each window&apos;s messages).
          </p>
          <NumberedTemplate template={sample.template} />
          <div className="why-wildcards">
            {shownWildcards(sample).map((wildcard) => {
              const headingId = `why-wildcard-${wildcard.number}`;
              return (
                <section key={wildcard.number} className="why-wildcard-values" aria-labelledby={headingId}>
                  <h3 id={headingId}>{wildcardLabel(wildcard.number)}</h3>
                  {wildcard.dominant ? (
                    <p className="why-dominant">
                      One value is behind most of them: <code>{wildcard.dominant.value}</code> in {formatShare(wildcard.dominant.share)} of the errors.
                    </p>
                  ) : (wildcard.values[0]?.share ?? 0) < NOTABLE_SHARE ? (
                    <p className="muted why-dominant-none">No value stands out: a different one almost every time.</p>
                  ) : null}
                  {wildcard.values.length > 0 ? (
                    <DataTable rows={wildcard.values} columns={valueColumns} getRowKey={(row) => row.value} aria-labelledby={headingId} />
                  ) : null}
                  {wildcard.others >= 0.5 && wildcard.values.length > 0 ? (
                    <p className="muted why-others">
                      {formatCount(Math.round(wildcard.others))} others ({formatShare(wildcard.others / sample.total)}) had a value not listed.
                    </p>
                  ) : null}
                </section>
              );
            })}
          </div>
        </>
      )}
    </section>
  );
}

/** The peak page's one sentence on a pattern's values in the peak's window, or nothing when none were sampled. */
export function WhyGroupedSentence({ sample }: { sample: WildcardSample | undefined }) {
  const sentence = sample ? leadingValueSentence(sample) : null;
  if (sentence === null) return null;
  return <p className="why-sentence">{sentence}.</p>;
}
