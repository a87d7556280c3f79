import Link from "next/link";

export default function NotFound() {
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
