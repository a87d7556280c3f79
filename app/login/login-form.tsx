"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { safeCallbackPath } from "@/lib/auth/callback-url";

const messages: Record<string, string> = {
  CredentialsSignin: "Wrong e-mail or password.",
  RateLimited: "Too many failed sign-ins. Wait a few minutes and try again.",
  AccessDenied: "This account may not sign in. Ask an administrator.",
  OAuthSignin: "Single sign-on is not reachable right now.",
  OAuthCallback: "Single sign-on did not complete. Try again.",
  SessionRequired: "Sign in to continue.",
};

function messageFor(code: string): string {
  return messages[code] ?? "Sign-in failed. Try again.";
}

/** Checked again here, not only by the page: whatever reaches the router must stay on this site. */
function destinationOf(callbackUrl: string): string {
  return safeCallbackPath(callbackUrl, window.location.origin);
}

export function LoginForm(props: { callbackUrl: string; oidcName: string | null; initialError: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(props.initialError ? messageFor(props.initialError) : null);
  const [isSubmitting, setIsSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const destination = destinationOf(props.callbackUrl);
    setIsSubmitting(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
      callbackUrl: destination,
    });
    if (!result || result.error) {
      setError(messageFor(result?.error ?? ""));
      setIsSubmitting(false);
      return;
    }
    router.replace(destination);
    router.refresh();
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-describedby={error ? "login-error" : undefined}>
      {error ? (
        <p id="login-error" className="alert alert-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="email">E-mail</label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <button className="button" type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Signing in…" : "Sign in"}
      </button>
      {props.oidcName ? (
        <>
          <div className="divider">or</div>
          <button className="button button-secondary" type="button" onClick={() => void signIn("oidc", { callbackUrl: destinationOf(props.callbackUrl) })}>
            Sign in with {props.oidcName}
          </button>
        </>
      ) : null}
    </form>
  );
}
