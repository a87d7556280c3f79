import Link from "next/link";

export default function PeakNotFound() {
  return (
    <section className="card empty" role="alert">
      <h2>No such peak</h2>
      <p>
        It may have been mistyped, or the link is from another installation. <Link href="/peaks">See the timeline</Link>.
      </p>
    </section>
  );
}
