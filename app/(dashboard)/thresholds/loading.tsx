import { Skeleton } from "@/components/ui/skeleton";

/** The thresholds page's shape while its server part renders: header, the values and their versions, the backtest. */
export default function ThresholdsLoading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <Skeleton height="2rem" width="10rem" />
      <div className="grid grid-2" style={{ marginTop: "1.25rem" }}>
        <Skeleton height="22rem" />
        <Skeleton height="22rem" />
      </div>
      <div style={{ marginTop: "1rem" }}>
        <Skeleton height="12rem" />
      </div>
    </div>
  );
}
