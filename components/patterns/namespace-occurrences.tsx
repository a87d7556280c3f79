import { formatCount } from "@/lib/format";

/** Occurrences per namespace, largest first, each with its share of the total as a bar. */
export function NamespaceOccurrences({ rows }: { rows: readonly { namespace: string; occurrences: number }[] }) {
  const total = rows.reduce((sum, row) => sum + row.occurrences, 0);
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Namespace</th>
          <th scope="col" className="num">
            Occurrences
          </th>
          <th scope="col" className="num">
            Share
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const share = total > 0 ? row.occurrences / total : 0;
          return (
            <tr key={row.namespace}>
              <td>{row.namespace}</td>
              <td className="num">{formatCount(row.occurrences)}</td>
              <td className="num pattern-share">
                <span className="pattern-share-bar" style={{ width: `${Math.round(share * 100)}%` }} aria-hidden="true" />
                {Math.round(share * 100)} %
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
