// Formatting for people: money via the domain's formatMoney (exact, from
// integers), durations in the two largest units, dates in the reader's locale.
export { formatMoney } from "~/domain/money";

const SECOND_MS = 1000;

/** "2 d 3 h", "3 h 20 min", "4 min 10 s", "12 s" — the two largest units, rounded down. */
export function formatDuration(ms: number): string {
  const totalS = Math.max(0, Math.floor(ms / SECOND_MS));
  const values = [
    [Math.floor(totalS / 86_400), "d"],
    [Math.floor((totalS % 86_400) / 3600), "h"],
    [Math.floor((totalS % 3600) / 60), "min"],
    [totalS % 60, "s"],
  ] as const;
  const first = values.findIndex(([n]) => n > 0);
  if (first === -1) return "0 s";
  return values
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(" ");
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

/** "1.2 MB", "340 KB", "512 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "12 hours", "2 days", "1 hour" — a service's delivery time. */
export function formatHours(hours: number): string {
  if (hours % 24 === 0 && hours >= 48) return `${hours / 24} days`;
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}
