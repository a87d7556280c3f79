"use client";

import { useEffect, useRef, type ReactNode } from "react";

/**
 * Asks before a change that cannot simply be undone: focus moves into it when it opens (or asks
 * something else), Escape or Cancel closes it. `label` names the group for assistive technology.
 */
export function ConfirmPanel({
  label,
  children,
  confirmLabel,
  pendingLabel,
  isPending,
  isDanger = false,
  onConfirm,
  onCancel,
}: {
  label: string;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  isPending: boolean;
  isDanger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => panel.current?.focus(), [label]);
  return (
    <div
      ref={panel}
      tabIndex={-1}
      role="group"
      aria-label={label}
      className="confirm-panel"
      onKeyDown={(event) => {
        if (event.key === "Escape") onCancel();
      }}
    >
      <p>{children}</p>
      <div className="confirm-panel-buttons">
        <button type="button" className={isDanger ? "button button-danger" : "button"} disabled={isPending} onClick={onConfirm}>
          {isPending ? pendingLabel : confirmLabel}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
