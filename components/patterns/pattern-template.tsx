"use client";

import Link from "next/link";
import { useId, useState } from "react";

/** Longer templates are cut to two lines in the list, with a button to show them whole. */
const LONG_TEMPLATE_CHARS = 110;

/** A pattern's template in monospace, linking to its page; the full text on hover and on demand. */
export function PatternTemplate({ hash, template }: { hash: string; template: string }) {
  const [isExpanded, setIsExpanded] = useState(false);
  const id = useId();
  const isLong = template.length > LONG_TEMPLATE_CHARS;
  return (
    <div className="pattern-template-cell">
      <Link href={`/patterns/${encodeURIComponent(hash)}`} className={`pattern-template${isExpanded ? " is-expanded" : ""}`} title={template} id={id}>
        {template}
      </Link>
      {isLong ? (
        <button
          type="button"
          className="link-button pattern-expand"
          aria-expanded={isExpanded}
          aria-controls={id}
          onClick={() => setIsExpanded((value) => !value)}
        >
          {isExpanded ? "Show less" : "Show all"}
        </button>
      ) : null}
    </div>
  );
}
