import { PatternSparkline } from "@/components/charts/pattern-sparkline";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { PatternListItem, TrendWindow } from "@/lib/patterns/contract";
import { formatAge, formatCount, formatDateTime } from "@/lib/format";
import { PatternTemplate } from "./pattern-template";
import { TrendLabel, trendText } from "./pattern-trend";

/** Namespaces shown in a row; the rest are counted. */
const MAX_NAMESPACES = 3;

function Namespaces({ namespaces }: { namespaces: readonly string[] }) {
  const hidden = namespaces.length - MAX_NAMESPACES;
  return (
    <>
      {namespaces.slice(0, MAX_NAMESPACES).join(", ")}
      {hidden > 0 ? <span className="muted" title={namespaces.join(", ")}>{` +${hidden}`}</span> : null}
    </>
  );
}

function patternColumns(window: TrendWindow, timeZone: string, now: number): Column<PatternListItem>[] {
  return [
    { key: "pattern", header: "Pattern", className: "pattern-cell", cell: (pattern) => <PatternTemplate hash={pattern.hash} template={pattern.template} /> },
    { key: "type", header: "Type", cell: (pattern) => (pattern.errorType ? <code>{pattern.errorType}</code> : <span className="muted">—</span>) },
    { key: "total", header: "Total", align: "end", cell: (pattern) => formatCount(pattern.occurrences) },
    { key: "window", header: <>In {window.days} days</>, align: "end", cell: (pattern) => formatCount(pattern.windowOccurrences) },
    {
      key: "trend",
      header: "Trend",
      className: "pattern-trend-cell",
      cell: (pattern) => (
        <>
          <PatternSparkline series={pattern.series} direction={pattern.trend.direction} label={trendText(pattern.trend, window.days)} />
          <TrendLabel trend={pattern.trend} />
        </>
      ),
    },
    {
      key: "first-seen",
      header: "First seen",
      className: "nowrap",
      title: (pattern) => formatDateTime(pattern.firstSeen, timeZone),
      cell: (pattern) => formatAge(pattern.firstSeen, now),
    },
    {
      key: "last-seen",
      header: "Last seen",
      className: "nowrap",
      title: (pattern) => formatDateTime(pattern.lastSeen, timeZone),
      cell: (pattern) => formatAge(pattern.lastSeen, now),
    },
    { key: "namespaces", header: "Namespaces", className: "pattern-namespaces", cell: (pattern) => <Namespaces namespaces={pattern.namespaces} /> },
    { key: "peaks", header: "Peaks", align: "end", cell: (pattern) => formatCount(pattern.peaks) },
  ];
}

/** The patterns list: template, type, counts, trend, first and last seen, namespaces and peaks. */
export function PatternsTable({
  patterns,
  window,
  timeZone,
  now,
}: {
  patterns: readonly PatternListItem[];
  window: TrendWindow;
  timeZone: string;
  now: number;
}) {
  return (
    <DataTable
      rows={patterns}
      columns={patternColumns(window, timeZone, now)}
      getRowKey={(pattern) => pattern.hash}
      className="patterns-table"
      caption={<>Error patterns, with their trend over the last {window.days} days</>}
      captionClassName="pattern-sr-only"
      scroll="horizontal"
    />
  );
}
