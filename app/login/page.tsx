import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { oidcProviderName } from "@/lib/auth/options";
import { currentActor } from "@/app/current-actor";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<{ callbackUrl?: string; error?: string }>;

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const { callbackUrl, error } = await searchParams;
  const destination = safeCallbackPath(callbackUrl);
  if (await currentActor()) redirect(destination);
  return (
    <main className="login-page">
      <div className="card login-card">
        <h1>Peak Investigation</h1>
        <p className="muted">Sign in to triage error peaks.</p>
        <LoginForm callbackUrl={destination} oidcName={oidcProviderName()} initialError={error ?? null} />
      </div>
    </main>
  );
}
