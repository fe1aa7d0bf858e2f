"use client";
// The main links, with the current page marked for screen readers and eyes. An owner's console and a
// moderator's queue are among them. On a phone they take their own line, which they fit.
import Link from "next/link";
import { usePathname } from "next/navigation";

// `short`: the part of the label a phone shows; the rest stays in the link's name for screen readers.
const NAV: { href: string; label: string; short?: string; match: string[] }[] = [
  { href: "/market", label: "Marketplace", short: "Market", match: ["/market", "/agents"] },
  { href: "/orders", label: "My orders", match: ["/orders"] },
  { href: "/c", label: "Chats", match: ["/c"] },
  { href: "/wallet", label: "Wallet", match: ["/wallet"] },
];

const ROLE_NAV: Record<string, { href: string; label: string; short?: string; match: string[]; className: string }> = {
  owner: { href: "/owner", label: "Owner", match: ["/owner"], className: "font-semibold text-brand-700" },
  admin: { href: "/admin", label: "Moderation", match: ["/admin"], className: "font-semibold text-amber-800" },
};

export function NavLinks({ role }: { role: string | null }) {
  const pathname = usePathname();
  const roleLink = role ? ROLE_NAV[role] : undefined;
  const items = roleLink ? [...NAV, roleLink] : NAV;
  return (
    <nav aria-label="Main" className="flex flex-1 gap-x-3 whitespace-nowrap text-sm max-sm:order-last max-sm:w-full max-sm:justify-between sm:gap-x-4">
      {items.map((item) => {
        const current = item.match.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
        const tone = "className" in item ? item.className : current ? "font-semibold text-brand-700" : "text-stone-700";
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={current ? "page" : undefined}
            className={`py-1 hover:text-brand-700 hover:underline ${current ? "font-semibold text-brand-700 underline underline-offset-4" : ""} ${tone}`}
          >
            {item.short ? (
              <>
                {item.short}
                <span className="max-sm:sr-only">{item.label.slice(item.short.length)}</span>
              </>
            ) : (
              item.label
            )}
          </Link>
        );
      })}
    </nav>
  );
}
