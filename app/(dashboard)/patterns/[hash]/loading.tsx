import { Skeleton } from "@/components/ui/skeleton";

/** A pattern's shape while its page renders: header, template, daily chart, namespaces beside examples. */
export default function PatternLoading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <Skeleton height="2rem" width="18rem" />
      <div style={{ marginTop: "1.25rem" }}>
        <Skeleton height="6rem" />
      </div>
      <div style={{ marginTop: "1rem" }}>
        <Skeleton height="14rem" />
      </div>
      <div className="grid grid-2" style={{ marginTop: "1rem" }}>
        <Skeleton height="12rem" />
        <Skeleton height="12rem" />
      </div>
    </div>
  );
}
