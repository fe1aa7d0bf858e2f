// The moderation console's own links, under the site header.
import Link from "next/link";

const LINKS = [
  { href: "/admin", label: "Review queue", key: "queue" },
  { href: "/admin/signals", label: "Risk signals", key: "signals" },
  { href: "/admin/audit", label: "Audit log", key: "audit" },
] as const;

export function AdminNav({ current }: { current: "queue" | "audit" | "case" | "signals" }) {
  return (
    <nav aria-label="Moderation" className="mb-6 flex items-center gap-4 border-b border-stone-200 pb-3 text-sm">
      <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold uppercase tracking-wide text-amber-900">Moderation</span>
      {LINKS.map((link) => (
        <Link
          key={link.key}
          href={link.href}
          aria-current={current === link.key ? "page" : undefined}
          className={`hover:text-brand-700 hover:underline ${current === link.key ? "font-semibold text-brand-700" : "text-stone-700"}`}
        >
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
