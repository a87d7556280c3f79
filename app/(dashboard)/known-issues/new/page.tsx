import type { Metadata } from "next";
import Link from "next/link";
import { hasRole } from "@/lib/roles";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { NotFoundError, InvalidInputError } from "@/lib/errors";
import { emptyKnownIssueForm, knownIssueFormFromPattern } from "@/lib/known-issues/form";
import { getPattern } from "@/lib/patterns/catalog";
import { NewKnownIssueClient } from "./client";
import "../known-issues.css";

export const metadata: Metadata = { title: "New known issue" };
export const dynamic = "force-dynamic";

export default async function NewKnownIssuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await currentActor();
  if (!actor || !hasRole(actor.role, "analyst")) {
    return (
      <section className="card empty" role="alert">
        <h2>Analysts only</h2>
        <p>
          Creating a known issue needs the analyst role. <Link href="/known-issues">See the known issues</Link>.
        </p>
      </section>
    );
  }
  // ?fromPattern=<hash>: the form starts from that pattern (its page links here).
  const fromPattern = (await searchParams).fromPattern;
  const hash = typeof fromPattern === "string" ? fromPattern : null;
  const pattern =
    hash === null
      ? null
      : await getPattern(await getDatabase(), actor, hash).catch((error: unknown) => {
          if (error instanceof NotFoundError || error instanceof InvalidInputError) return null;
          throw error;
        });
  return (
    <NewKnownIssueClient
      timeZone={getConfig().timezone}
      initialValues={pattern ? knownIssueFormFromPattern(pattern) : emptyKnownIssueForm()}
      fromPattern={pattern ? pattern.hash : null}
      missingPattern={hash !== null && pattern === null ? hash : null}
    />
  );
}
