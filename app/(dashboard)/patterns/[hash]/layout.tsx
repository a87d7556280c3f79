import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { currentActor } from "@/app/current-actor";
import { getDatabase } from "@/lib/db/client";
import { hasPattern } from "@/lib/patterns/catalog";
import { parsePatternHash, type PatternPathParams } from "./path-params";

/**
 * Decides "no such pattern" before anything streams: loading.tsx beside it wraps only the page,
 * and a notFound() inside a boundary that already sent its skeleton leaves the status at 200.
 * The root not-found page answers.
 */
export default async function PatternLayout({ children, params }: { children: ReactNode; params: PatternPathParams }) {
  const hash = await parsePatternHash(params);
  if (!(await hasPattern(await getDatabase(), await currentActor(), hash))) notFound();
  return children;
}
