import Link from "next/link";
import type { PeakDetail } from "@/lib/peaks/contract";
import { formatLocalTime } from "@/lib/peaks/timeline";

/** Other peaks of a plateau listed by name before "and N more". */
const LISTED_CONTINUATIONS = 6;

/** Where the peak stands in its plateau: the peak it continues, or the peaks that continue it. */
export function PlateauLinks({ peak, timeZone }: { peak: PeakDetail; timeZone: string }) {
  const plateau = peak.plateau;
  if (!plateau) return null;
  const windows = plateau.continuations.length + 1;
  if (plateau.first.id !== peak.id) {
    return (
      <span>
        Continues the plateau of {windows} windows that began with{" "}
        <Link href={`/peaks/${plateau.first.id}`}>
          peak #{plateau.first.id} at {formatLocalTime(plateau.first.timestamp, timeZone)}
        </Link>
        .
      </span>
    );
  }
  const listed = plateau.continuations.slice(0, LISTED_CONTINUATIONS);
  return (
    <span>
      First window of a plateau of {windows}, continued by{" "}
      {listed.map((continuation, index) => (
        <span key={continuation.id}>
          {index > 0 ? ", " : ""}
          <Link href={`/peaks/${continuation.id}`}>
            #{continuation.id} ({formatLocalTime(continuation.timestamp, timeZone)})
          </Link>
        </span>
      ))}
      {plateau.continuations.length > listed.length ? ` and ${plateau.continuations.length - listed.length} more` : ""}.
    </span>
  );
}
