"use client";

import { describeBucket } from "@/components/namespaces/describe-bucket";
import { NamespaceListCard } from "@/components/namespaces/namespace-list-card";
import { NAMESPACES_PAGE_SIZE, type NamespaceListSearch } from "@/components/namespaces/namespace-list-search";
import { EmptyState } from "@/components/ui/empty-state";
import type { NamespaceList } from "@/lib/namespaces/contract";
import { formatDateTime } from "@/lib/format";

export function NamespacesClient({
  initialList,
  initialSearch,
  timeZone,
  renderedAt,
}: {
  initialList: NamespaceList;
  initialSearch: NamespaceListSearch;
  timeZone: string;
  renderedAt: number;
}) {
  return (
    <>
      <header className="page-header">
        <div>
          <h1>Namespaces</h1>
          <p>
            Errors from {formatDateTime(new Date(initialList.from).toISOString(), timeZone)} to{" "}
            {formatDateTime(new Date(initialList.to).toISOString(), timeZone)} ({timeZone}) against each namespace&apos;s baseline. Open a namespace for its
            chart over any range.
          </p>
        </div>
      </header>
      {initialList.counts.total === 0 ? (
        <EmptyState title="No namespace yet">
          <p>Namespaces appear here once error logs have been ingested and their windows stored.</p>
        </EmptyState>
      ) : (
        <NamespaceListCard
          initialList={initialList}
          initialSearch={initialSearch}
          renderedAt={renderedAt}
          pageSize={NAMESPACES_PAGE_SIZE}
          view="day"
          timeZone={timeZone}
          title="Last 24 hours"
          note={
            <>
              The shaded band is each namespace&apos;s usual spread, the dashed line its baseline mean; usual is what the baseline expects for the windows
              stored so far. {describeBucket(initialList.windowMinutes, initialList.bucketMinutes)} Those needing attention come first unless sorted otherwise.
            </>
          }
        />
      )}
    </>
  );
}
