import type { ReactNode } from "react";
import { formatCount } from "@/lib/format";

/**
 * Previous and next page of a list paged on the server, between them where the reader is ("Page 2
 * of 7", or `summary`); nothing when the whole list fits one page. Pages count from 1.
 */
export function Pager({
  label,
  page,
  pages,
  hasNext,
  onPage,
  summary,
}: {
  /** The navigation's name: "Pages of problems". */
  label: string;
  page: number;
  pages: number;
  hasNext: boolean;
  onPage: (page: number) => void;
  summary?: ReactNode;
}) {
  if (page <= 1 && !hasNext) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button button-secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous page
      </button>
      <span className="muted">{summary ?? `Page ${formatCount(page)} of ${formatCount(Math.max(1, pages))}`}</span>
      <button type="button" className="button button-secondary" disabled={!hasNext} onClick={() => onPage(page + 1)}>
        Next page
      </button>
    </nav>
  );
}
