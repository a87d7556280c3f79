import { Skeleton } from "@/components/ui/skeleton";

/** A known issue's shape while its page renders: header, facts beside the resolution, matched peaks. */
export default function KnownIssueLoading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <Skeleton height="2rem" width="18rem" />
      <div className="grid grid-2" style={{ marginTop: "1.25rem" }}>
        <Skeleton height="14rem" />
        <Skeleton height="14rem" />
      </div>
      <div style={{ marginTop: "1rem" }}>
        <Skeleton height="16rem" />
      </div>
    </div>
  );
}
