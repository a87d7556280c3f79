import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { getPattern } from "@/lib/patterns/catalog";
import { NotFoundError } from "@/lib/errors";
import { hasRole } from "@/lib/roles";
import { parsePatternDetailSearch, toGetPatternInput } from "../search-params";
import { PatternClient } from "./client";
import { parsePatternHash, type PatternPathParams } from "./path-params";
import "../patterns.css";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: PatternPathParams }): Promise<Metadata> {
  return { title: `Pattern ${(await params).hash}` };
}

export default async function PatternPage({
  params,
  searchParams,
}: {
  params: PatternPathParams;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const hash = await parsePatternHash(params);
  const search = parsePatternDetailSearch(await searchParams);
  const actor = await currentActor();
  const pattern = await getPattern(await getDatabase(), actor, hash, toGetPatternInput(search)).catch((error: unknown) => {
    // Gone since layout.tsx looked (retention): too late for a 404 status, but the page says so.
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return (
    <PatternClient
      initialPattern={pattern}
      initialSearch={search}
      timeZone={getConfig().timezone}
      canCreateKnownIssue={actor !== null && hasRole(actor.role, "analyst")}
      canEditRules={actor !== null && hasRole(actor.role, "analyst")}
    />
  );
}
