"use client";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="card empty" role="alert">
      <h2>This page could not be loaded</h2>
      <p>
        The server could not answer. It may be restarting, or the database may be unreachable
        {error.digest ? ` (reference ${error.digest})` : ""}.
      </p>
      <button className="button" type="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
