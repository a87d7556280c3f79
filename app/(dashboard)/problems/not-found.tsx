import Link from "next/link";

// A level above [id]/: [id]/layout.tsx calls notFound(), which the segment's own boundary, inside that
// layout, would not catch.
export default function ProblemNotFound() {
  return (
    <section className="card empty" role="alert">
      <h2>No such problem</h2>
      <p>
        Its id may have been mistyped, its pattern merged into another, or its windows deleted by retention. <Link href="/problems">See the problems</Link>.
      </p>
    </section>
  );
}
