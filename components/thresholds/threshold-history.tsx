"use client";

import { useState } from "react";
import type { ThresholdVersion } from "@/lib/thresholds/contract";
import { formatDateTime } from "@/lib/format";
import { formatThresholdValue } from "./readable-value";

/** Every version, newest first, with what it changed; admins load one into the form or restore it. */
export function ThresholdHistory({
  history,
  timeZone,
  canEdit,
  isRestoring,
  onRestore,
  onLoad,
}: {
  history: readonly ThresholdVersion[];
  timeZone: string;
  canEdit: boolean;
  isRestoring: boolean;
  onRestore: (version: number) => void;
  onLoad: (version: ThresholdVersion) => void;
}) {
  const [confirming, setConfirming] = useState<number | null>(null);
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ol className="threshold-history">
        {history.map((entry, index) => (
          <li key={entry.version ?? "defaults"} aria-current={index === 0 ? "true" : undefined}>
            <div className="threshold-history-head">
              <strong>{entry.version === null ? "values.yaml defaults" : `Version ${entry.version}`}</strong>
              {index === 0 ? <span className="badge badge-succeeded">in force</span> : null}
            </div>
            {entry.createdAt ? (
              <div className="muted">
                {formatDateTime(entry.createdAt, timeZone)} by {entry.createdBy ?? "the command line"}
              </div>
            ) : null}
            {entry.comment && entry.version !== null ? <div>“{entry.comment}”</div> : null}
            {entry.changes.length > 0 ? (
              <ul className="threshold-changes">
                {entry.changes.map((change) => (
                  <li key={change.key}>
                    <code>{change.key}</code> {formatThresholdValue(change.key, change.from)} → {formatThresholdValue(change.key, change.to)}
                  </li>
                ))}
              </ul>
            ) : null}
            {canEdit && index > 0 ? (
              <div className="threshold-history-actions">
                <button type="button" className="link-button" onClick={() => onLoad(entry)}>
                  Load into the form
                </button>
                {entry.version !== null ? (
                  confirming === entry.version ? (
                    <>
                      <button
                        type="button"
                        className="button"
                        disabled={isRestoring}
                        onClick={() => {
                          onRestore(entry.version!);
                          setConfirming(null);
                        }}
                      >
                        Restore version {entry.version} now
                      </button>
                      <button type="button" className="link-button" onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </>
                  ) : (
                    <button type="button" className="link-button" onClick={() => setConfirming(entry.version)}>
                      Restore…
                    </button>
                  )
                ) : null}
              </div>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
