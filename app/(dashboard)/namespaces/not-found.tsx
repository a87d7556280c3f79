import Link from "next/link";

// A level above [namespace]/: [namespace]/layout.tsx calls notFound(), which the segment's own boundary, inside that
// layout, would not catch.
export default function NamespaceNotFound() {
  return (
    <section className="card empty">
      <h1>No such namespace</h1>
      <p>No error windows or baseline are stored for this namespace. It may be misspelt, or its data may have been deleted.</p>
      <p>
        <Link href="/namespaces">All namespaces</Link> · <Link href="/">Overview</Link>
      </p>
    </section>
  );
}
