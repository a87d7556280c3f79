import Link from "next/link";

// A level above [date]/: the page calls notFound() for a text that is not a date and for a date whose digest is not due yet.
export default function DailyReportNotFound() {
  return (
    <section className="card empty" role="alert">
      <h2>No daily report for this date</h2>
      <p>
        The address must name a date as YYYY-MM-DD, and its report exists once that day&apos;s digest time has passed.{" "}
        <Link href="/reports/daily">See the newest daily report</Link>.
      </p>
    </section>
  );
}
