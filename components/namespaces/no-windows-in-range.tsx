import { EmptyState } from "@/components/ui/empty-state";
import type { NamespaceSeries } from "@/lib/namespaces/contract";
import { formatDateTime } from "@/lib/format";

const isoOf = (ms: number) => new Date(ms).toISOString();

/** A range without stored windows: a gap in the data, with a way to the newest stored window. */
export function NoWindowsInRange({
  namespace,
  series,
  timeZone,
  onShowFixed,
}: {
  namespace: string;
  series: NamespaceSeries;
  timeZone: string;
  /** Shows the fixed range from `from` to `to`, UTC ms. */
  onShowFixed: (from: number, to: number) => void;
}) {
  return (
    <EmptyState title="No error windows in this range">
      <p>
        Nothing is stored for {namespace} here: no source covered this range, or its windows passed their retention. It is a gap in the data, not a time without
        errors.
      </p>
      {series.latestWindow !== null ? (
        <>
          <p>
            The newest window stored for {namespace} starts {formatDateTime(isoOf(series.latestWindow), timeZone)}.
          </p>
          <p>
            <button
              type="button"
              className="button"
              onClick={() => {
                // Keep the range's length, ending just after the newest window.
                const to = series.latestWindow! + series.windowMinutes * 60_000;
                onShowFixed(to - (series.to - series.from), to);
              }}
            >
              Show the newest stored window
            </button>
          </p>
        </>
      ) : (
        <p>No window is stored for {namespace} yet, only its baseline.</p>
      )}
    </EmptyState>
  );
}
