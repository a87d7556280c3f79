"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { NewNormalsTable } from "@/components/namespaces/new-normals-table";
import { formatLevelOffset } from "@/components/new-normal/format";
import { Alert } from "@/components/ui/alert";
import { formatDateTime } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import type { NewNormalRecord } from "@/lib/new-normal/contract";

function TakenBackNotice({ record, timeZone }: { record: NewNormalRecord; timeZone: string }) {
  const ref = useRef<HTMLParagraphElement>(null);
  // The button that was pressed is gone with the row's state: focus lands on what happened instead.
  useEffect(() => ref.current?.focus(), [record]);
  return (
    <Alert tone="success" tabIndex={-1} ref={ref}>
      Taken back: the new normal of {record.namespace} from {formatDateTime(record.from, timeZone)} ({formatLevelOffset(record.levelOffset)} errors a window) is
      no longer in force, and its baseline is as it was before.
    </Alert>
  );
}

/**
 * "Accepted new normals" of a namespace (only when it has any): every acceptance, and for
 * analysts the way to take the newest in force back. Taking back re-seeds the baseline, so the
 * chart is refreshed with the list. A refusal (409: already taken back, a later one in force,
 * its windows no longer stored) is shown as the API words it.
 */
export function NewNormalsSection({ namespace, timeZone, canEdit }: { namespace: string; timeZone: string; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ["new-normals", namespace],
    queryFn: ({ signal }) => fetchJson<NewNormalRecord[]>(`/api/new-normal?${new URLSearchParams({ namespace }).toString()}`, { signal }),
  });
  const refresh = () => Promise.all(["new-normals", "namespace-series"].map((key) => queryClient.invalidateQueries({ queryKey: [key] })));
  const takeBack = useMutation({
    mutationFn: (record: NewNormalRecord) => fetchJson<NewNormalRecord>(`/api/new-normal/${record.id}/take-back`, { method: "POST", body: "{}" }),
    // A refusal may mean the list is out of date (taken back elsewhere): refresh it either way.
    onSettled: () => void refresh(),
  });

  if (list.isError) {
    return <Alert tone="error">Could not load the accepted new normals: {list.error.message}</Alert>;
  }
  if (!list.data || list.data.length === 0) return null;
  return (
    <section className="card new-normals" aria-labelledby="new-normals-heading">
      <h2 id="new-normals-heading">Accepted new normals</h2>
      <p className="muted card-note">
        Each re-seeded every slot of {namespace} by the level measured since its first window; the chart marks those in its range. Newest first.
      </p>
      {takeBack.isSuccess ? <TakenBackNotice record={takeBack.data} timeZone={timeZone} /> : null}
      <NewNormalsTable
        records={list.data}
        timeZone={timeZone}
        labelledBy="new-normals-heading"
        canTakeBack={canEdit}
        isTakingBack={takeBack.isPending}
        onTakeBack={(record) => takeBack.mutate(record)}
      />
      {takeBack.isError ? <Alert tone="error">Could not take it back: {takeBack.error.message}</Alert> : null}
    </section>
  );
}
