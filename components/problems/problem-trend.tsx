import type { ProblemTrend } from "@/lib/problems/contract";
import { trendFigures, trendLabel } from "@/lib/problems/words";

/** A problem's trend: arrow (decoration) and words with the factor, whether the period before lacks data, then its figures; the colour only repeats what the words say. */
export function ProblemTrendLabel({ trend, hasFigures = true }: { trend: ProblemTrend; hasFigures?: boolean }) {
  const label = trendLabel(trend);
  return (
    <span className="problem-trend-cell">
      <span className={`problem-trend problem-trend-${trend.direction}`}>
        <span aria-hidden="true">{label.arrow} </span>
        {label.words}
      </span>
      {label.caveat ? <span className="problem-trend-caveat">{label.caveat}</span> : null}
      {hasFigures ? <span className="problem-trend-figures muted">{trendFigures(trend)}</span> : null}
    </span>
  );
}
