import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { PeakInvestigationFacts } from "@/lib/db/peak-triage";
import { formatCount, formatDateTime } from "@/lib/format";
import { formatAmount, formatRatio } from "@/lib/peaks/explain";

type Change = PeakInvestigationFacts["changed"][number];

function ChangeBadge({ change, isChanged }: { change: Change; isChanged: boolean }) {
  if (change.isNew) return <Badge tone="new">new</Badge>;
  if (isChanged && change.growth !== null) return <Badge tone="grown">{`grown ${formatRatio(change.growth)}`}</Badge>;
  return <Badge tone="usual">usual</Badge>;
}

/** New vs. usual: each pattern of the peak window against its usual rate before the peak; new ones first and highlighted. */
export function PatternChanges({ facts, timeZone }: { facts: PeakInvestigationFacts | null; timeZone: string }) {
  const rows = facts ? [...facts.changed.map((change) => ({ change, isChanged: true })), ...facts.usual.map((change) => ({ change, isChanged: false }))] : [];
  const period = facts?.usualPeriod ?? null;
  return (
    <section className="card" aria-labelledby="pattern-changes">
      <h2 id="pattern-changes">New vs. usual patterns</h2>
      {rows.length === 0 ? (
        <p className="muted">{facts ? "No pattern was read in this window." : "Known once the peak is investigated."}</p>
      ) : (
        <>
          {period ? (
            <p className="pk-hint">
              Compared with {formatDateTime(new Date(period.fromMs).toISOString(), timeZone)} – {formatDateTime(new Date(period.toMs).toISOString(), timeZone)}{" "}
              before the peak ({formatCount(period.windows)} windows, {formatCount(period.sampled)} of {formatCount(period.total)} errors sampled).
            </p>
          ) : null}
          <div className="table-scroll">
            <table className="pk-patterns">
              <thead>
                <tr>
                  <th scope="col">Pattern</th>
                  <th scope="col" className="num">
                    Here
                  </th>
                  <th scope="col" className="num">
                    Usual
                  </th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ change, isChanged }) => (
                  <tr key={change.patternId} className={change.isNew ? "pk-new" : undefined}>
                    <td>
                      <Link href={`/patterns/${change.patternId}`} className="pk-template">
                        {change.template}
                      </Link>
                    </td>
                    <td className="num">{formatCount(change.during)}</td>
                    <td className="num" title="errors per window in the usual period">
                      {formatAmount(change.usualPerWindow)}
                    </td>
                    <td className="nowrap">
                      <ChangeBadge change={change} isChanged={isChanged} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
