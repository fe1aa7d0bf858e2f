// The moderation console's own links, under the site header, and the urgent ledger alert under them.
import Link from "next/link";
import { LedgerAlertBanner } from "./ledger-alert-banner";

const LINKS = [
  { href: "/admin", label: "Review queue", key: "queue" },
  { href: "/admin/signals", label: "Risk signals", key: "signals" },
  { href: "/admin/audit", label: "Audit log", key: "audit" },
  { href: "/admin/ops", label: "Operations", key: "ops" },
] as const;

export function AdminNav({ current }: { current: "queue" | "audit" | "case" | "signals" | "ops" }) {
  return (
    <>
      <nav aria-label="Moderation" className="mb-6 flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-stone-200 pb-3 text-sm">
        <span className="rounded bg-amber-100 px-2 py-0.5 max-sm:hidden text-xs font-semibold uppercase tracking-wide text-amber-900">
          Moderation
        </span>
        {LINKS.map((link) => (
          <Link
            key={link.key}
            href={link.href}
            aria-current={current === link.key ? "page" : undefined}
            className={`whitespace-nowrap hover:text-brand-700 hover:underline ${current === link.key ? "font-semibold text-brand-700" : "text-stone-700"}`}
          >
            {link.label}
          </Link>
        ))}
      </nav>
      <LedgerAlertBanner />
    </>
  );
}
