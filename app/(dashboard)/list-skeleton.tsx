import { Skeleton } from "@/components/ui/skeleton";

/** A list page's shape while its server part renders: title, filters when it has them, the table. */
export function ListSkeleton({ hasFilters = true }: { hasFilters?: boolean }) {
  return (
    <div aria-busy="true" aria-label="Loading">
      <Skeleton height="2rem" width="10rem" />
      {hasFilters ? (
        <div style={{ marginTop: "1.25rem" }}>
          <Skeleton height="5rem" />
        </div>
      ) : null}
      <div style={{ marginTop: hasFilters ? "1rem" : "1.25rem" }}>
        <Skeleton height="24rem" />
      </div>
    </div>
  );
}
