import { formatCount, formatDateTime } from "@/lib/format";
import type { Overview } from "@/lib/db/overview";

export function TableStatsTable({ tables, countedAt, timeZone }: { tables: Overview["tables"]; countedAt: string; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="stored-data">
      <h2 id="stored-data">Stored data</h2>
      <p className="muted">Counted {formatDateTime(countedAt, timeZone)}; counted again at most once a minute.</p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col">From</th>
              <th scope="col">To</th>
            </tr>
          </thead>
          <tbody>
            {tables.map((row) => (
              <tr key={row.table}>
                <td>
                  <code>{row.table}</code>
                </td>
                <td className="num">{formatCount(row.rows)}</td>
                <td className="nowrap">{formatDateTime(row.from, timeZone)}</td>
                <td className="nowrap">{formatDateTime(row.to, timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
