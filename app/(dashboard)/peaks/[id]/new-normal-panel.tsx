"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { describeLevelOffset, formatLevelOffset } from "@/components/new-normal/format";
import { Alert } from "@/components/ui/alert";
import { FormActions } from "@/components/ui/form-actions";
import type { PeakDetail } from "@/lib/peaks/contract";
import { formatCount, formatDateTime } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import type { NewNormalPreview, NewNormalRecord } from "@/lib/new-normal/contract";
import { namespaceHrefShowing } from "../../namespaces/[namespace]/search-params";
import { ActionPanel, FormError } from "@/components/triage/action-panel";

const MAX_COMMENT_CHARS = 500;

function postNewNormal<T>(body: { peakId: number; preview?: true; comment?: string }, signal?: AbortSignal): Promise<T> {
  return fetchJson<T>("/api/new-normal", { method: "POST", body: JSON.stringify(body), signal });
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** Which open peaks accepting acknowledges: "peaks #8, #9 and #10 are acknowledged". */
function describeOpenPeaks(ids: readonly number[]): string {
  if (ids.length === 0) return "there is no open one since then to acknowledge";
  const names = ids.map((id) => `#${id}`);
  const list =
    names.length === 1
      ? names[0]!
      : names.length <= 5
        ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`
        : `${names.length} of them, ${names[0]} to ${names.at(-1)}`;
  return ids.length === 1 ? `peak ${list}, open since then, is acknowledged` : `the open peaks since then (${list}) are acknowledged`;
}

/** "(the first window of this incident, peak #12)" when the level is measured from an earlier peak of the plateau than this one. */
function incidentNote(peak: PeakDetail): string {
  const first = peak.plateau?.first;
  return first && first.id !== peak.id ? ` (the first window of this incident, peak #${first.id})` : "";
}

/**
 * "Accept as the new normal": measures first (a preview writes nothing) and says in words what
 * accepting would do; the server measures again when it accepts, so the figures of the answer
 * (shown in the notice) are the ones that count. Errors are the API's message, which says what
 * to do (e.g. wait until enough windows are stored).
 */
export function NewNormalPanel({
  peak,
  timeZone,
  onAccepted,
  onClose,
}: {
  peak: PeakDetail;
  timeZone: string;
  onAccepted: (record: NewNormalRecord) => void;
  onClose: () => void;
}) {
  const fieldId = useId();
  const [comment, setComment] = useState("");
  const preview = useQuery({
    queryKey: ["new-normal-preview", peak.id],
    queryFn: ({ signal }) => postNewNormal<{ preview: NewNormalPreview }>({ peakId: peak.id, preview: true }, signal).then((answer) => answer.preview),
    // A measurement of the windows stored now: taken afresh each time the panel opens, never retried on a refusal.
    staleTime: 0,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
  const accept = useMutation({
    mutationFn: () => postNewNormal<{ accepted: NewNormalRecord }>({ peakId: peak.id, comment }).then((answer) => answer.accepted),
    onSuccess: onAccepted,
  });
  const start = peak.plateau?.first.timestamp ?? peak.timestamp;

  return (
    <ActionPanel id="panel-new-normal" title="Accept as the new normal" onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (preview.isSuccess) accept.mutate();
        }}
      >
        <div role="status" aria-busy={preview.isPending}>
          {preview.isPending ? (
            <p className="pk-hint">
              Measuring the level of {peak.namespace} since {formatDateTime(start, timeZone)}…
            </p>
          ) : preview.isSuccess ? (
            <p className="pk-new-normal-preview">
              From <strong>{formatDateTime(preview.data.from, timeZone)}</strong>
              {incidentNote(peak)}, {preview.data.namespace} runs <strong>{describeLevelOffset(preview.data.levelOffset)}</strong> (measured on{" "}
              {plural(preview.data.windows, "window")}). Accepting makes that level normal: every slot of the namespace is re-seeded by it. Peaks already
              flagged stay on record: {describeOpenPeaks(preview.data.openPeaks)}. You can take it back on the namespace page.
            </p>
          ) : null}
        </div>
        {preview.isError ? <FormError message={`Could not measure the new level: ${preview.error.message}`} /> : null}
        <div className="field">
          <label htmlFor={`${fieldId}-comment`}>Comment (optional)</label>
          <textarea
            id={`${fieldId}-comment`}
            value={comment}
            maxLength={MAX_COMMENT_CHARS}
            placeholder="e.g. release 4.2 logs a warning as an error on every checkout"
            onChange={(event) => setComment(event.target.value)}
          />
        </div>
        <FormError message={accept.isError ? accept.error.message : null} />
        <FormActions
          className="pk-form-buttons"
          submitLabel="Accept"
          pendingLabel="Accepting…"
          isPending={accept.isPending}
          isDisabled={!preview.isSuccess}
          onCancel={onClose}
        />
      </form>
    </ActionPanel>
  );
}

/** What accepting did, in the figures the server accepted with, with the way back. */
export function NewNormalNotice({ record, timeZone }: { record: NewNormalRecord; timeZone: string }) {
  const ref = useRef<HTMLDivElement>(null);
  // Focus follows the panel that closed, so that the keyboard and screen readers land here.
  useEffect(() => ref.current?.focus(), [record]);
  // The link opens a range that shows the new marker; computed once, when the notice appears.
  const [href] = useState(() => namespaceHrefShowing(record.namespace, Date.parse(record.from), Date.now()));
  return (
    <Alert tone="success" as="div" className="pk-notice" tabIndex={-1} ref={ref}>
      Accepted as the new normal of {record.namespace} from {formatDateTime(record.from, timeZone)}: its baseline moved by{" "}
      {formatLevelOffset(record.levelOffset)} errors a window (measured on {plural(record.windows, "window")}), and its open peaks since then are acknowledged.
      See it on the chart, or take it back, on <Link href={href}>the namespace page of {record.namespace}</Link>.
    </Alert>
  );
}
