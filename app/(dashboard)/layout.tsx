import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppNav, type NavItem } from "@/components/app-nav";
import { SignOutButton } from "@/components/sign-out-button";
import { hasRole } from "@/lib/roles";
import { currentActor } from "@/app/current-actor";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/login");
  const items: NavItem[] = [
    { href: "/", label: "Overview" },
    { href: "/incidents", label: "Incidents" },
    { href: "/problems", label: "Problems" },
    { href: "/peaks", label: "Peaks" },
    { href: "/known-issues", label: "Known issues" },
    { href: "/patterns", label: "Patterns" },
    { href: "/reports/daily", label: "Daily report" },
    { href: "/runs", label: "Pipeline runs" },
    { href: "/thresholds", label: "Thresholds" },
  ];
  if (hasRole(actor.role, "admin")) items.push({ href: "/users", label: "Users" });
  return (
    <div className="shell">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <aside className="sidebar">
        <Link className="brand" href="/">
          Peak Investigation
          <small>error peaks, explained</small>
        </Link>
        <AppNav items={items} />
        <div className="sidebar-footer">
          <span>
            Signed in as
            <br />
            <strong>{actor.email}</strong>
            <br />
            Role: <span data-testid="current-role">{actor.role}</span>
          </span>
          <SignOutButton />
        </div>
      </aside>
      <main className="main" id="content">
        {children}
      </main>
    </div>
  );
}
