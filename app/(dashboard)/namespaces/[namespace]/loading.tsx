import { Skeleton } from "@/components/ui/skeleton";

/** The namespace page's shape while its server part renders: header, range controls, totals, chart, peaks. */
export default function NamespaceLoading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <Skeleton height="2rem" width="14rem" />
      <div style={{ marginTop: "0.5rem" }}>
        <Skeleton height="1rem" width="32rem" />
      </div>
      <div style={{ marginTop: "1.25rem" }}>
        <Skeleton height="4.5rem" />
      </div>
      <div className="grid grid-4" style={{ marginTop: "1rem" }}>
        <Skeleton height="5rem" />
        <Skeleton height="5rem" />
        <Skeleton height="5rem" />
        <Skeleton height="5rem" />
      </div>
      <div style={{ marginTop: "1rem" }}>
        <Skeleton height="27rem" />
      </div>
    </div>
  );
}
