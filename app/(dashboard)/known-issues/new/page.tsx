import type { Metadata } from "next";
import Link from "next/link";
import { hasRole } from "@/lib/roles";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { NewKnownIssueClient } from "./client";
import "../known-issues.css";

export const metadata: Metadata = { title: "New known issue" };
export const dynamic = "force-dynamic";

export default async function NewKnownIssuePage() {
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
  return <NewKnownIssueClient timeZone={getConfig().timezone} />;
}
