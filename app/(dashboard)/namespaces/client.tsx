"use client";

import { useQuery } from "@tanstack/react-query";
import { describeBucket } from "@/components/namespaces/describe-bucket";
import { NamespaceTable } from "@/components/namespaces/namespace-table";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import type { NamespaceSparklines } from "@/lib/namespaces/contract";
import { formatDateTime } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";

export function NamespacesClient({ initialSparklines, timeZone }: { initialSparklines: NamespaceSparklines; timeZone: string }) {
  const query = useQuery({
    queryKey: ["namespace-sparklines"],
    queryFn: () => fetchJson<NamespaceSparklines>("/api/namespaces/sparklines"),
    initialData: initialSparklines,
    refetchInterval: 60_000,
  });
  const sparklines = query.data;
  return (
    <>
      <header className="page-header">
        <div>
          <h1>Namespaces</h1>
          <p>
            Errors from {formatDateTime(new Date(sparklines.from).toISOString(), timeZone)} to {formatDateTime(new Date(sparklines.to).toISOString(), timeZone)}{" "}
            ({timeZone}) against each namespace&apos;s baseline. Open a namespace for its chart over any range.
          </p>
        </div>
      </header>
      {query.isError ? <Alert tone="error">Could not refresh: {query.error.message}</Alert> : null}
      {sparklines.namespaces.length === 0 ? (
        <EmptyState title="No namespace yet">
          <p>Namespaces appear here once error logs have been ingested and their windows stored.</p>
        </EmptyState>
      ) : (
        <section className="card" aria-labelledby="namespace-list-heading">
          <h2 id="namespace-list-heading">Last 24 hours</h2>
          <p className="muted card-note">
            The shaded band is each namespace&apos;s usual spread, the dashed line its baseline mean; usual is what the baseline expects for the windows stored
            so far. {describeBucket(sparklines.windowMinutes, sparklines.bucketMinutes)}
          </p>
          <NamespaceTable namespaces={sparklines.namespaces} labelledBy="namespace-list-heading" scroll="horizontal" />
        </section>
      )}
    </>
  );
}
