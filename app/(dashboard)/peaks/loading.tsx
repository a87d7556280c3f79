import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <Skeleton height="2rem" width="10rem" />
      <div style={{ marginTop: "1.25rem" }}>
        <Skeleton height="5rem" />
      </div>
      <div style={{ marginTop: "1rem" }}>
        <Skeleton height="24rem" />
      </div>
    </div>
  );
}
