import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { currentActor } from "@/app/current-actor";
import { getDatabase } from "@/lib/db/client";
import { hasProblem } from "@/lib/problems/detail";
import { parseProblemPathId, type ProblemPathParams } from "./path-params";

/**
 * Decides "no such problem" before anything streams: loading.tsx beside it wraps only the page,
 * and a notFound() inside a boundary that already sent its skeleton leaves the status at 200.
 */
export default async function ProblemLayout({ children, params }: { children: ReactNode; params: ProblemPathParams }) {
  const id = await parseProblemPathId(params);
  if (!(await hasProblem(await getDatabase(), await currentActor(), id))) notFound();
  return children;
}
