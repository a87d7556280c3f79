import { Skeleton } from "@/components/ui/skeleton";

/** A problem's shape while its page renders: header, facts, timeline, incidents. */
export default function ProblemLoading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <Skeleton height="2rem" width="18rem" />
      <div style={{ marginTop: "1.25rem" }}>
        <Skeleton height="8rem" />
      </div>
      <div style={{ marginTop: "1rem" }}>
        <Skeleton height="16rem" />
      </div>
      <div style={{ marginTop: "1rem" }}>
        <Skeleton height="12rem" />
      </div>
    </div>
  );
}
