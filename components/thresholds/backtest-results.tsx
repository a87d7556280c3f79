import { BacktestChart } from "@/components/charts/backtest-chart";
import { Alert } from "@/components/ui/alert";
import type { BacktestAnswer } from "@/lib/thresholds/contract";
import { BacktestSummary } from "./backtest-summary";

type BacktestResultsProps = {
  /** The last backtest's answer; null before the first. */
  answer: BacktestAnswer | null;
  isBacktesting: boolean;
  /** False once the form no longer holds the values the answer is for. */
  isCurrent: boolean;
  timeZone: string;
  chartNamespace: string | null;
  onChartNamespace: (namespace: string) => void;
  /** The answer whose chart is shown: the backtest's own, or the same narrowed to the chosen namespace. */
  chartAnswer: BacktestAnswer | undefined;
  chartEntry: BacktestAnswer["namespaces"][number] | undefined;
  isChartLoading: boolean;
  chartError: Error | null;
};

/** The Backtest card: what the proposed values add and remove per namespace, and one namespace's chart. */
export function BacktestResults({
  answer,
  isBacktesting,
  isCurrent,
  timeZone,
  chartNamespace,
  onChartNamespace,
  chartAnswer,
  chartEntry,
  ...chart
}: BacktestResultsProps) {
  return (
    <section className="card" aria-labelledby="backtest-title" aria-busy={isBacktesting} style={{ marginTop: "1rem" }}>
      <h2 id="backtest-title">Backtest</h2>
      {answer === null ? (
        <p className="muted">
          {isBacktesting
            ? "Replaying detection over the stored windows…"
            : "Change a value and press Backtest: both sets of thresholds are replayed over the same stored windows, and the peaks the new values add or remove are listed per namespace."}
        </p>
      ) : (
        <>
          {!isCurrent ? (
            <Alert tone="error" role="status">
              The form changed since this backtest; backtest again before saving.
            </Alert>
          ) : null}
          <BacktestSummary answer={answer} timeZone={timeZone} selected={chartNamespace} onSelect={onChartNamespace} />
          {chartAnswer?.chart && chartEntry ? (
            <div className="backtest-chart" aria-busy={chart.isChartLoading}>
              <h3>{chartAnswer.chart.namespace}</h3>
              <BacktestChart
                points={chartAnswer.chart.points}
                added={chartEntry.added}
                removed={chartEntry.removed}
                kept={chartEntry.kept}
                from={chartAnswer.from}
                to={chartAnswer.to}
                bucketMinutes={chartAnswer.chart.bucketMinutes}
                timeZone={timeZone}
                label={`${chartAnswer.chart.namespace}: ${chartEntry.added.length} peaks added and ${chartEntry.removed.length} removed by the proposed values over ${chartAnswer.days} days`}
              />
            </div>
          ) : chart.isChartLoading ? (
            <div className="skeleton" style={{ height: 280 }} aria-label="Loading the chart" />
          ) : chart.chartError ? (
            <Alert tone="error" as="div">
              {chart.chartError.message}
            </Alert>
          ) : null}
        </>
      )}
    </section>
  );
}
