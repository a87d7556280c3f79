import { Skeleton } from "@/components/ui/skeleton";

/** The runs page's shape while its server part renders: header, the run history beside one run's steps. */
export default function RunsLoading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <Skeleton height="2rem" width="12rem" />
      <div className="grid grid-2" style={{ marginTop: "1.25rem" }}>
        <Skeleton height="24rem" />
        <Skeleton height="24rem" />
      </div>
    </div>
  );
}
