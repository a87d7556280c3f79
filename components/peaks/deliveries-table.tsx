import { Badge } from "@/components/ui/badge";
import type { PeakDetail } from "@/lib/db/peak-triage";
import { formatDateTime } from "@/lib/format";

/** Notification status: each message sent (or tried) about the peak. */
export function DeliveriesTable({ deliveries, timeZone, isContinuation }: { deliveries: PeakDetail["deliveries"]; timeZone: string; isContinuation: boolean }) {
  return (
    <section className="card" aria-labelledby="notifications">
      <h2 id="notifications">Notifications</h2>
      {deliveries.length === 0 ? (
        <p className="muted">
          No message about this peak
          {isContinuation
            ? ": it continues a plateau, which is one incident with the message of its first window"
            : ". Teams messages are sent when notifications are on"}
          .
        </p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Sent</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id}>
                  <td>{delivery.channel}</td>
                  <td>
                    <Badge tone={delivery.status}>{delivery.status}</Badge>
                  </td>
                  <td className="num">{delivery.attempts}</td>
                  <td className="nowrap">{delivery.sentAt ? formatDateTime(delivery.sentAt, timeZone) : "—"}</td>
                  <td className="pk-break">{delivery.lastError ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
