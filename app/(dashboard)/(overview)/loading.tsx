import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <Skeleton height="2rem" width="12rem" />
      <div style={{ marginTop: "1.25rem" }}>
        <Skeleton height="10rem" />
      </div>
      <div className="grid grid-4" style={{ marginTop: "1rem" }}>
        <Skeleton height="6rem" />
        <Skeleton height="6rem" />
        <Skeleton height="6rem" />
      </div>
      <div style={{ marginTop: "1rem" }}>
        <Skeleton height="16rem" />
      </div>
    </div>
  );
}
