import Link from "next/link";
import { WhyGroupedSentence } from "@/components/patterns/why-grouped";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import { firstSeenSentence } from "@/lib/incidents/words";
import type { PeakInvestigationFacts } from "@/lib/peaks/contract";
import { formatCount, formatDateTime } from "@/lib/format";
import { formatAmount, formatRatio } from "@/lib/peaks/explain";

type Change = PeakInvestigationFacts["changed"][number];

/**
 * A pattern of the peak window; `isChanged` when it is among those that grew or are new,
 * `isFirstSeen` when its namespace never had it before; with its values in the window when it changed.
 */
type ChangeRow = { change: Change; isChanged: boolean; isFirstSeen: boolean; values?: PeakInvestigationFacts["wildcardValues"][number] };

function ChangeBadge({ change, isChanged, isFirstSeen }: ChangeRow) {
  if (isFirstSeen) return <Badge tone="new">first seen</Badge>;
  if (change.isNew) return <Badge tone="new">new</Badge>;
  if (isChanged && change.growth !== null) return <Badge tone="grown">{`grown ${formatRatio(change.growth)}`}</Badge>;
  return <Badge tone="usual">usual</Badge>;
}

const changeColumns: Column<ChangeRow>[] = [
  {
    key: "pattern",
    header: "Pattern",
    cell: ({ change, values }) => (
      <>
        <Link href={`/patterns/${change.patternId}`} className="pk-template">
          {change.template}
        </Link>
        <WhyGroupedSentence sample={values} />
      </>
    ),
  },
  { key: "here", header: "Here", align: "end", cell: ({ change }) => formatCount(change.during) },
  {
    key: "usual",
    header: "Usual",
    align: "end",
    title: () => "errors per window in the usual period",
    cell: ({ change }) => formatAmount(change.usualPerWindow),
  },
  { key: "change", header: "Change", className: "nowrap", cell: (row) => <ChangeBadge {...row} /> },
];

/** New vs. usual: each pattern of the peak window against its usual rate before the peak; new ones first and highlighted. */
export function PatternChanges({ facts, namespace, timeZone }: { facts: PeakInvestigationFacts | null; namespace: string; timeZone: string }) {
  const firstSeen = new Set(facts?.firstSeenPatterns.map((pattern) => pattern.patternId));
  const rows = facts
    ? [
        ...facts.changed.map((change) => ({
          change,
          isChanged: true,
          isFirstSeen: firstSeen.has(change.patternId),
          values: facts.wildcardValues.find((sample) => sample.patternId === change.patternId),
        })),
        ...facts.usual.map((change) => ({ change, isChanged: false, isFirstSeen: firstSeen.has(change.patternId) })),
      ]
    : [];
  const period = rows.length > 0 ? (facts?.usualPeriod ?? null) : null;
  return (
    <section className="card" aria-labelledby="pattern-changes">
      <h2 id="pattern-changes">New vs. usual patterns</h2>
      {period ? (
        <p className="pk-hint">
          Compared with {formatDateTime(new Date(period.fromMs).toISOString(), timeZone)} – {formatDateTime(new Date(period.toMs).toISOString(), timeZone)}{" "}
          before the peak ({formatCount(period.windows)} windows, {formatCount(period.sampled)} of {formatCount(period.total)} errors sampled).
        </p>
      ) : null}
      {firstSeen.size > 0 ? (
        <p className="pk-first-seen">
          <Badge tone="new">first seen</Badge> {firstSeen.size === 1 ? "1 pattern is" : `${formatCount(firstSeen.size)} patterns are`}{" "}
          {firstSeenSentence(namespace, "window")}.
        </p>
      ) : null}
      <DataTable
        rows={rows}
        columns={changeColumns}
        getRowKey={({ change }) => change.patternId}
        className="pk-patterns"
        scroll="horizontal"
        rowProps={({ change }) => ({ className: change.isNew ? "pk-new" : undefined })}
        empty={<p className="muted">{facts ? "No pattern was read in this window." : "Known once the peak is investigated."}</p>}
      />
    </section>
  );
}
