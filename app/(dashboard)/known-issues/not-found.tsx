import Link from "next/link";

// A level above [id]/: [id]/layout.tsx calls notFound(), which the segment's own boundary, inside that
// layout, would not catch.
export default function KnownIssueNotFound() {
  return (
    <section className="card empty" role="alert">
      <h2>No such known issue</h2>
      <p>
        It may have been mistyped, or the link is from another installation. <Link href="/known-issues">See the known issues</Link>.
      </p>
    </section>
  );
}
