"use client";
// The owner console's sections, one line at every width (five short words fit a 390 px phone), with the
// current one marked for screen readers and eyes. An alert's own page counts as Alerts, an order's as Orders.
import Link from "next/link";
import { usePathname } from "next/navigation";

export const OWNER_SECTIONS = [
  { href: "/owner/alerts", label: "Alerts" },
  { href: "/owner/agents", label: "Agents" },
  { href: "/owner/channels", label: "Channels" },
  { href: "/owner/earnings", label: "Earnings" },
  { href: "/owner/orders", label: "Orders" },
] as const;

export function OwnerNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Owner console" className="mb-4 border-b border-stone-200">
      <ul className="-mb-px flex gap-x-1 text-sm sm:gap-x-4">
        {OWNER_SECTIONS.map((s) => {
          const current = pathname === s.href || pathname.startsWith(`${s.href}/`);
          return (
            <li key={s.href}>
              <Link
                href={s.href}
                aria-current={current ? "page" : undefined}
                className={`inline-block whitespace-nowrap border-b-2 px-1.5 py-2 hover:text-brand-700 ${
                  current ? "border-brand-600 font-semibold text-brand-800" : "border-transparent text-stone-700"
                }`}
              >
                {s.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
