"use client";
// A date in the reader's own locale and time zone (rendered on the server
// first, hence the hydration warning suppressed on this one element).
import { formatDateTime } from "./format";

export function DateTime({ iso, className }: { iso: string; className?: string }) {
  return (
    <time dateTime={iso} className={className} suppressHydrationWarning>
      {formatDateTime(iso)}
    </time>
  );
}
