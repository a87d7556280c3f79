import type { NamespaceSeries } from "@/lib/namespaces/contract";
import { formatCount } from "@/lib/format";

/** The range's errors, windows and peaks, and which thresholds draw its threshold line. */
export function SeriesTotals({ series, isBusy }: { series: NamespaceSeries; isBusy: boolean }) {
  return (
    <dl className="series-totals" aria-label="Totals in the range" aria-busy={isBusy}>
      <div className="card metric">
        <dt className="metric-label">Errors</dt>
        <dd className="metric-value" data-testid="total-errors">
          {formatCount(series.totals.errors)}
        </dd>
      </div>
      <div className="card metric">
        <dt className="metric-label">Windows stored</dt>
        <dd className="metric-value">{formatCount(series.totals.windows)}</dd>
      </div>
      <div className="card metric">
        <dt className="metric-label">Peaks</dt>
        <dd className="metric-value">{formatCount(series.totals.peaks)}</dd>
      </div>
      <div className="card metric">
        <dt className="metric-label">Threshold line</dt>
        <dd className="metric-value metric-value-small">
          {series.thresholdsVersion === null ? "values.yaml defaults" : `Thresholds version ${series.thresholdsVersion}`}
        </dd>
      </div>
    </dl>
  );
}
