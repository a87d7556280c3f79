import type { PeakNoteRecord } from "@/lib/peaks/contract";
import { formatDateTime } from "@/lib/format";

/** The notes of a peak, newest first. */
export function NotesList({ notes, timeZone }: { notes: PeakNoteRecord[]; timeZone: string }) {
  if (notes.length === 0) return <p className="muted">No notes yet.</p>;
  return (
    <ol className="pk-list" aria-label="Notes, newest first">
      {notes.map((note) => (
        <li key={note.id}>
          <p className="pk-prose">{note.text}</p>
          <span className="pk-by">
            {note.actor}, {formatDateTime(note.createdAt, timeZone)}
          </span>
        </li>
      ))}
    </ol>
  );
}
