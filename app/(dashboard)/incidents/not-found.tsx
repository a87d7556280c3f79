import Link from "next/link";

// A level above [id]/: [id]/layout.tsx calls notFound(), which the segment's own boundary, inside that
// layout, would not catch.
export default function IncidentNotFound() {
  return (
    <section className="card empty" role="alert">
      <h2>No such incident</h2>
      <p>
        It may have been mistyped, or its windows were deleted by retention. <Link href="/incidents">See the incidents</Link>.
      </p>
    </section>
  );
}
