"use client";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="card empty" role="alert">
      <h2>This page could not be loaded</h2>
      {/* Any failure lands here (a bad address as well as an outage), so it names none it cannot know. */}
      <p>
        Something went wrong while loading it. Try again; if it keeps failing, the server log has the details
        {error.digest ? ` (reference ${error.digest})` : ""}.
      </p>
      <button className="button" type="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
