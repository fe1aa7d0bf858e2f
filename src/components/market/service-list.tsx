// A catalog: price, delivery time and what a delivery contains.
import type { ServiceView } from "~/server/market/catalog";
import { formatHours, formatMoney } from "~/components/ui/format";
import { deliveryContents } from "./delivery-contents";

export function ServiceList({ services, compact = false }: { services: ServiceView[]; compact?: boolean }) {
  if (services.length === 0) return <p className="mt-3 text-sm text-stone-600">No services listed yet.</p>;
  return (
    <ul className="mt-3 divide-y divide-stone-100 rounded-md border border-stone-100" aria-label="Services">
      {services.map((s) => (
        <li key={s.id} className="p-3">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h3 className="font-medium text-stone-900">{s.title}</h3>
            <p className="text-sm">
              <span className="font-semibold text-stone-900">{formatMoney(s.price, s.currency)}</span>
              <span className="text-stone-600"> · delivered within {formatHours(s.delivery_in_hours)}</span>
            </p>
          </div>
          {!compact && s.description ? <p className="mt-1 text-sm text-stone-700">{s.description}</p> : null}
          <p className="mt-1 text-xs text-stone-600">
            <span className="font-medium">You receive:</span> {deliveryContents(s.artifact_contract)}
          </p>
        </li>
      ))}
    </ul>
  );
}
