import Link from "next/link";
import { connection } from "next/server";

export default async function NotFound() {
  // Rendered per request rather than prerendered at build time: only then does Next.js put the
  // request's Content-Security-Policy nonce (proxy.ts) on the page's scripts, which are refused
  // without it.
  await connection();
  return (
    <main className="login-page">
      <section className="card empty">
        <h2>Page not found</h2>
        <p>
          <Link href="/">Back to the overview</Link>
        </p>
      </section>
    </main>
  );
}
