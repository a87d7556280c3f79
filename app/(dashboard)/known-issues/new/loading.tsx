import { Skeleton } from "@/components/ui/skeleton";

/** The new known issue page's shape while its server part renders: header and the form. */
export default function NewKnownIssueLoading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <Skeleton height="2rem" width="14rem" />
      <div style={{ marginTop: "1.25rem" }}>
        <Skeleton height="28rem" />
      </div>
    </div>
  );
}
