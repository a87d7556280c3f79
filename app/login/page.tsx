import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { oidcProviderName } from "@/lib/auth/options";
import { siteOrigin } from "@/lib/auth/site-origin";
import { currentActor } from "@/app/current-actor";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

// A parameter given twice arrives as an array.
type SearchParams = Promise<{ callbackUrl?: string | string[]; error?: string | string[] }>;

const single = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const { callbackUrl, error } = await searchParams;
  const destination = safeCallbackPath(single(callbackUrl), siteOrigin(await headers()));
  if (await currentActor()) redirect(destination);
  return (
    <main className="login-page">
      <div className="card login-card">
        <h1>Peak Investigation</h1>
        <p className="muted">Sign in to triage error peaks.</p>
        <LoginForm callbackUrl={destination} oidcName={oidcProviderName()} initialError={single(error) ?? null} />
      </div>
    </main>
  );
}
