// Every notification sent to the owner's channels, newest first, with its state and attempts; a table on
// wide screens and stacked rows on a phone.
import {
  stackedBody,
  stackedCell,
  stackedHead,
  stackedRow,
  stackedTable,
  stackedTh,
} from "~/components/layout/stacked-table";
import { DateTime } from "~/components/ui/date-time";
import { card } from "~/components/ui/styles";
import type { RouterOutputs } from "~/trpc/types";

type Delivery = RouterOutputs["owner"]["channels"]["deliveries"][number];

const CHANNEL_WORDS: Record<string, string> = {
  email: "Email",
  telegram: "Telegram",
  whatsapp: "WhatsApp",
  log: "Server log",
};
const STATUS_WORDS: Record<string, string> = { pending: "waiting", sending: "sending", sent: "sent", failed: "failed" };
const COLUMNS = ["When", "Channel", "Message", "Status", "Attempts"] as const;

export function DeliveryLog({ deliveries }: { deliveries: Delivery[] }) {
  return (
    <section aria-labelledby="delivery-log-h" className={card}>
      <h2 id="delivery-log-h" className="text-lg font-semibold">
        Delivery log
      </h2>
      {deliveries.length === 0 ? <p className="mt-2 text-sm text-stone-600">Nothing sent yet.</p> : null}
      <table className={`${stackedTable} mt-2 ${deliveries.length === 0 ? "hidden" : ""}`}>
        <thead className={stackedHead}>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className={stackedTh}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={stackedBody} data-testid="delivery-log">
          {deliveries.map((d) => (
            <tr key={d.id} className={stackedRow}>
              <td data-label="When" className={stackedCell}>
                <DateTime iso={d.createdAt.toISOString()} />
              </td>
              <td data-label="Channel" className={stackedCell}>
                {CHANNEL_WORDS[d.channel] ?? d.channel}
              </td>
              <td data-label="Message" className={`${stackedCell} break-words`}>
                {d.subject}
              </td>
              <td data-label="Status" className={stackedCell}>
                <span>
                  {STATUS_WORDS[d.status] ?? d.status}
                  {d.lastError ? <span className="block text-red-800">{d.lastError}</span> : null}
                </span>
              </td>
              <td data-label="Attempts" className={`${stackedCell} tabular-nums`}>
                {d.attempts}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
