import { DataTable, type Column } from "@/components/ui/data-table";
import { formatCount } from "@/lib/format";

type Occurrences = { namespace: string; occurrences: number };

function occurrenceColumns(total: number): Column<Occurrences>[] {
  const percent = (row: Occurrences) => Math.round((total > 0 ? row.occurrences / total : 0) * 100);
  return [
    { key: "namespace", header: "Namespace", cell: (row) => row.namespace },
    { key: "occurrences", header: "Occurrences", align: "end", cell: (row) => formatCount(row.occurrences) },
    {
      key: "share",
      header: "Share",
      align: "end",
      className: "pattern-share",
      cell: (row) => (
        <>
          <span className="pattern-share-bar" style={{ width: `${percent(row)}%` }} aria-hidden="true" />
          {percent(row)} %
        </>
      ),
    },
  ];
}

/** Occurrences per namespace, largest first, each with its share of the total as a bar. */
export function NamespaceOccurrences({ rows }: { rows: readonly Occurrences[] }) {
  const total = rows.reduce((sum, row) => sum + row.occurrences, 0);
  return <DataTable rows={rows} columns={occurrenceColumns(total)} getRowKey={(row) => row.namespace} />;
}
