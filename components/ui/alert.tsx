import type { CSSProperties, ReactNode, Ref } from "react";

export type AlertTone = "error" | "success" | "warning" | "info";

type Common = {
  tone: AlertTone;
  children: ReactNode;
  /**
   * Errors interrupt ("alert"), everything else is announced politely ("status"); "note" for a
   * message that is part of the content, null for none (a stored state rather than an event).
   */
  role?: "alert" | "status" | "note" | null;
  className?: string;
  id?: string;
  /** -1 for a notice that focus moves to once it appears. */
  tabIndex?: number;
  style?: CSSProperties;
  "aria-label"?: string;
};

/** A paragraph, or a "div" when the message holds blocks (paragraphs, links in a list, a button row). */
export type AlertProps = Common & ({ as?: "p"; ref?: Ref<HTMLParagraphElement> } | { as: "div"; ref?: Ref<HTMLDivElement> });

/** A message in the page's `alert alert-<tone>` box. */
export function Alert(props: AlertProps) {
  const { tone, children, role, className, id, tabIndex, style } = props;
  const attributes = {
    className: `alert alert-${tone}${className ? ` ${className}` : ""}`,
    role: role === undefined ? (tone === "error" ? "alert" : "status") : (role ?? undefined),
    id,
    tabIndex,
    style,
    "aria-label": props["aria-label"],
  };
  if (props.as === "div") {
    const { ref } = props;
    return (
      <div ref={ref} {...attributes}>
        {children}
      </div>
    );
  }
  const { ref } = props;
  return (
    <p ref={ref} {...attributes}>
      {children}
    </p>
  );
}
