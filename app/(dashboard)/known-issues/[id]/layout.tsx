import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { currentActor } from "@/app/current-actor";
import { getDatabase } from "@/lib/db/client";
import { hasKnownIssue } from "@/lib/known-issues/catalog";
import { parseKnownIssueId, type KnownIssuePathParams } from "./path-params";

/**
 * Decides "no such known issue" before anything streams. loading.tsx beside it wraps only the
 * page, and a notFound() inside a boundary that already sent its skeleton leaves the status at
 * 200. The not-found page is known-issues/not-found.tsx: a segment's own not-found boundary sits
 * inside its layout.
 */
export default async function KnownIssueLayout({ children, params }: { children: ReactNode; params: KnownIssuePathParams }) {
  const id = await parseKnownIssueId(params);
  if (!(await hasKnownIssue(await getDatabase(), await currentActor(), id))) notFound();
  return children;
}
