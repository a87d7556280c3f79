import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <Skeleton height="2rem" width="16rem" />
      <div style={{ marginTop: "1.25rem" }}>
        <Skeleton height="20rem" />
      </div>
      <div className="pk-two-columns">
        <Skeleton height="14rem" />
        <Skeleton height="14rem" />
      </div>
    </div>
  );
}
