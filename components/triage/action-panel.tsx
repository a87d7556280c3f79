"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";

/**
 * An inline form for one action: focus moves into it when it opens (to its main field, marked
 * data-autofocus, else its first), Escape closes it and gives focus back to the button that opened it.
 */
export function ActionPanel({ id, title, onClose, children }: { id: string; title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const fields = ref.current;
    (fields?.querySelector<HTMLElement>("[data-autofocus]") ?? fields?.querySelector<HTMLElement>("input:not([disabled]), textarea, select"))?.focus();
  }, []);
  return (
    <section
      id={id}
      ref={ref}
      className="card pk-panel"
      aria-labelledby={`${id}-title`}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

/** A form's problem, or nothing. */
export function FormError({ message }: { message: string | null }) {
  return message ? <Alert tone="error">{message}</Alert> : null;
}
