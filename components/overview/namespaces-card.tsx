import Link from "next/link";
import { describeBucket } from "@/components/namespaces/describe-bucket";
import { NamespaceTable, type FreshnessColumn } from "@/components/namespaces/namespace-table";
import { Alert } from "@/components/ui/alert";
import { Skeleton } from "@/components/ui/skeleton";
import type { NamespaceSparklines } from "@/lib/namespaces/contract";

/** The overview's list of namespaces, each with its last 24 hours; scrolls inside the card when long. */
export function NamespacesCard({
  sparklines,
  error,
  freshness,
}: {
  sparklines: NamespaceSparklines | undefined;
  error: string | null;
  freshness?: FreshnessColumn;
}) {
  return (
    <section className="card namespaces-card" aria-labelledby="namespaces-heading">
      <div className="card-header">
        <h2 id="namespaces-heading">Namespaces</h2>
        <Link href="/namespaces">All namespaces</Link>
      </div>
      {error ? (
        <Alert tone="error">
          {sparklines ? "Could not refresh the namespaces" : "Could not load the namespaces"}: {error}
        </Alert>
      ) : null}
      {!sparklines ? (
        error ? null : (
          <Skeleton height="12rem" />
        )
      ) : sparklines.namespaces.length === 0 ? (
        <p className="muted">No namespace has stored windows or a baseline yet.</p>
      ) : (
        <>
          <p className="muted card-note">
            Errors of the last 24 hours against each namespace&apos;s baseline (dashed, with its usual spread shaded); usual is what the baseline expects for
            the windows stored so far. {describeBucket(sparklines.windowMinutes, sparklines.bucketMinutes)}
            {freshness ? " Latest data: when the newest window with errors ended, and where the data stops when a namespace is behind." : ""}
          </p>
          <NamespaceTable namespaces={sparklines.namespaces} labelledBy="namespaces-heading" scroll="sticky-header" {...(freshness ? { freshness } : {})} />
        </>
      )}
    </section>
  );
}
