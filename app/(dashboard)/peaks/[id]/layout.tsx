import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { currentActor } from "@/app/current-actor";
import { getDatabase } from "@/lib/db/client";
import { hasPeak } from "@/lib/peaks/detail";
import { parsePeakId, type PeakPathParams } from "./path-params";

/**
 * Decides "no such peak" before anything streams. loading.tsx beside it wraps only the page, and
 * a notFound() inside a boundary that already sent its skeleton leaves the status at 200. The
 * not-found page is peaks/not-found.tsx: a segment's own not-found boundary sits inside its layout.
 */
export default async function PeakLayout({ children, params }: { children: ReactNode; params: PeakPathParams }) {
  const id = await parsePeakId(params);
  if (!(await hasPeak(await getDatabase(), await currentActor(), id))) notFound();
  return children;
}
