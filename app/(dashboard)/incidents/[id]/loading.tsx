import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <Skeleton height="2rem" width="18rem" />
      <div style={{ marginTop: "1.25rem" }}>
        <Skeleton height="3rem" />
      </div>
      <div className="pk-two-columns">
        <Skeleton height="16rem" />
        <Skeleton height="16rem" />
      </div>
    </div>
  );
}
