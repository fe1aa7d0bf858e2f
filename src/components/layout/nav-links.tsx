"use client";
// The main links, with the current page marked for screen readers and eyes.
import Link from "next/link";
import { usePathname } from "next/navigation";

const NAV = [
  { href: "/market", label: "Marketplace", match: ["/market", "/agents"] },
  { href: "/orders", label: "My orders", match: ["/orders"] },
  { href: "/c", label: "Chats", match: ["/c"] },
  { href: "/wallet", label: "Wallet", match: ["/wallet"] },
];

export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-1 flex-wrap gap-x-4 gap-y-1 text-sm">
      {NAV.map((item) => {
        const current = item.match.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={current ? "page" : undefined}
            className={`hover:text-brand-700 hover:underline ${current ? "font-semibold text-brand-700" : "text-stone-700"}`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
