import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { PeakDetail } from "@/lib/peaks/contract";
import { formatDateTime } from "@/lib/format";

type Delivery = PeakDetail["deliveries"][number];

function deliveryColumns(timeZone: string): Column<Delivery>[] {
  return [
    { key: "channel", header: "Channel", cell: (delivery) => delivery.channel },
    { key: "status", header: "Status", cell: (delivery) => <Badge tone={delivery.status}>{delivery.status}</Badge> },
    { key: "attempts", header: "Attempts", align: "end", cell: (delivery) => delivery.attempts },
    { key: "sent", header: "Sent", className: "nowrap", cell: (delivery) => (delivery.sentAt ? formatDateTime(delivery.sentAt, timeZone) : "—") },
    { key: "last-error", header: "Last error", className: "pk-break", cell: (delivery) => delivery.lastError ?? "—" },
  ];
}

/** Notification status: each message sent (or tried) about the peak. */
export function DeliveriesTable({ deliveries, timeZone, isContinuation }: { deliveries: PeakDetail["deliveries"]; timeZone: string; isContinuation: boolean }) {
  return (
    <section className="card" aria-labelledby="notifications">
      <h2 id="notifications">Notifications</h2>
      <DataTable
        rows={deliveries}
        columns={deliveryColumns(timeZone)}
        getRowKey={(delivery) => delivery.id}
        scroll="horizontal"
        empty={
          <p className="muted">
            No message about this peak
            {isContinuation
              ? ": it continues a plateau, which is one incident with the message of its first window"
              : ". Teams messages are sent when notifications are on"}
            .
          </p>
        }
      />
    </section>
  );
}
