import { DataTable, type Column } from "@/components/ui/data-table";
import { formatCount, formatDateTime } from "@/lib/format";
import type { Overview } from "@/lib/overview/contract";

type TableStats = Overview["tables"][number];

function tableStatsColumns(timeZone: string): Column<TableStats>[] {
  return [
    { key: "table", header: "Table", cell: (row) => <code>{row.table}</code> },
    { key: "rows", header: "Rows", align: "end", cell: (row) => formatCount(row.rows) },
    { key: "from", header: "From", className: "nowrap", cell: (row) => formatDateTime(row.from, timeZone) },
    { key: "to", header: "To", className: "nowrap", cell: (row) => formatDateTime(row.to, timeZone) },
  ];
}

export function TableStatsTable({ tables, countedAt, timeZone }: { tables: Overview["tables"]; countedAt: string; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="stored-data">
      <h2 id="stored-data">Stored data</h2>
      <p className="muted">Counted {formatDateTime(countedAt, timeZone)}; counted again at most once a minute.</p>
      <DataTable rows={tables} columns={tableStatsColumns(timeZone)} getRowKey={(row) => row.table} scroll="horizontal" />
    </section>
  );
}
