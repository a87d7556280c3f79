"use client";

import Link from "next/link";
import { useRef, useState } from "react";
import { formatLevelOffset } from "@/components/new-normal/format";
import { Badge } from "@/components/ui/badge";
import { ConfirmPanel } from "@/components/ui/confirm-panel";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatCount, formatDateTime } from "@/lib/format";
import type { NewNormalRecord } from "@/lib/new-normal/contract";

/** The acceptance that can be taken back: the newest in force (the API takes back the newest of a namespace first). */
export function takeBackCandidate(records: readonly NewNormalRecord[]): NewNormalRecord | null {
  return records.filter((record) => record.revertedAt === null).sort((left, right) => right.id - left.id)[0] ?? null;
}

function Status({ record, timeZone }: { record: NewNormalRecord; timeZone: string }) {
  if (record.revertedAt === null) return <Badge tone="succeeded">in force</Badge>;
  return (
    <span className="muted">
      taken back by {record.revertedBy ?? "someone"} at {formatDateTime(record.revertedAt, timeZone)}
    </span>
  );
}

/** Asks before taking an acceptance back. */
function TakeBackConfirm({
  record,
  timeZone,
  isPending,
  onConfirm,
  onCancel,
}: {
  record: NewNormalRecord;
  timeZone: string;
  isPending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <ConfirmPanel
      label="Take back the new normal"
      confirmLabel="Take back now"
      pendingLabel="Taking back…"
      isPending={isPending}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      Take back the new normal of {record.namespace} from {formatDateTime(record.from, timeZone)} ({formatLevelOffset(record.levelOffset)} errors a window)?
      Every slot of the namespace returns to where it was before it was accepted. Peaks keep their status: those acknowledged when it was accepted stay
      acknowledged.
    </ConfirmPanel>
  );
}

export type NewNormalsTableProps = {
  records: readonly NewNormalRecord[];
  timeZone: string;
  labelledBy: string;
  /** Analysts and admins: the newest acceptance in force gets a "Take back…" button. */
  canTakeBack: boolean;
  isTakingBack: boolean;
  onTakeBack: (record: NewNormalRecord) => void;
};

/** A namespace's accepted new normals, newest first, with who accepted them, their level and whether they are in force. */
export function NewNormalsTable({ records, timeZone, labelledBy, canTakeBack, isTakingBack, onTakeBack }: NewNormalsTableProps) {
  const [confirming, setConfirming] = useState<number | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const candidate = canTakeBack ? takeBackCandidate(records) : null;
  const confirmed = records.find((record) => record.id === confirming && record.revertedAt === null) ?? null;
  const closeConfirm = () => {
    setConfirming(null);
    opener.current?.focus();
  };
  const columns: Column<NewNormalRecord>[] = [
    {
      key: "from",
      header: "From",
      className: "nowrap",
      cell: (record) => (
        <>
          {formatDateTime(record.from, timeZone)}
          {record.peakId !== null ? (
            <div className="muted">
              <Link href={`/peaks/${record.peakId}`}>from peak #{record.peakId}</Link>
            </div>
          ) : null}
        </>
      ),
    },
    { key: "level", header: "Level", align: "end", className: "nowrap", cell: (record) => <>{formatLevelOffset(record.levelOffset)}/window</> },
    { key: "windows", header: "Windows", align: "end", cell: (record) => formatCount(record.windows) },
    { key: "by", header: "By", cell: (record) => record.acceptedBy },
    { key: "when", header: "When", className: "nowrap", cell: (record) => formatDateTime(record.acceptedAt, timeZone) },
    { key: "comment", header: "Comment", className: "new-normal-comment", cell: (record) => record.comment ?? <span className="muted">–</span> },
    {
      key: "status",
      header: "Status",
      cell: (record) => (
        <div className="new-normal-status">
          <Status record={record} timeZone={timeZone} />
          {/* In the status cell rather than a column of its own: one button would cost the table a column's width. */}
          {record.id === candidate?.id ? (
            <button
              ref={opener}
              type="button"
              className="button button-secondary"
              aria-expanded={confirming === record.id}
              onClick={() => (confirming === record.id ? closeConfirm() : setConfirming(record.id))}
            >
              Take back…
            </button>
          ) : null}
        </div>
      ),
    },
  ];
  return (
    <>
      <DataTable
        rows={records}
        columns={columns}
        getRowKey={(record) => record.id}
        aria-labelledby={labelledBy}
        className="new-normals-table"
        scroll="horizontal"
        rowProps={(record) => ({ className: record.revertedAt === null ? undefined : "is-taken-back" })}
      />
      {candidate && confirmed ? (
        <TakeBackConfirm
          record={confirmed}
          timeZone={timeZone}
          isPending={isTakingBack}
          onCancel={closeConfirm}
          onConfirm={() => {
            onTakeBack(confirmed);
          }}
        />
      ) : null}
      {candidate && records.some((record) => record.revertedAt === null && record.id !== candidate.id) ? (
        <p className="muted card-note">Only the newest new normal in force can be taken back; take it back first to reach an older one.</p>
      ) : null}
    </>
  );
}
